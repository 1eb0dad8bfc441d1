// A node:test reporter for scripts/repeat-tests.mjs: one JSON line per finished test (not suites),
// with its outcome, so the script can count and list tests without parsing TAP.
export default async function* reporter(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { name, nesting, skip, todo, details, file } = event.data;
    if (details?.type === 'suite') continue;
    const outcome = event.type === 'test:fail' ? 'fail' : skip !== undefined || todo !== undefined ? 'skip' : 'pass';
    const error = event.type === 'test:fail' ? String(details?.error?.cause?.message ?? details?.error?.message ?? details?.error).slice(0, 400) : undefined;
    yield `${JSON.stringify({ outcome, name, nesting, file, skip: typeof skip === 'string' ? skip : undefined, error })}\n`;
  }
}
