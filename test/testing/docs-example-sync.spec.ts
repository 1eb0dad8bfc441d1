import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const HEADING = '## Testing your metrics';

/** The first ```ts block after `heading` in `text`. */
function firstTypeScriptBlock(text: string, heading: string): string | undefined {
  const section = text.slice(text.indexOf(heading));
  return /```ts\n([\s\S]*?)\n```/.exec(section)?.[1];
}

describe('"Testing your metrics" documentation', () => {
  it('shows exactly the example that test/testing/docs-example.spec.ts runs', () => {
    const example = readFileSync(resolve(ROOT, 'test/testing/docs-example.spec.ts'), 'utf8').trimEnd();
    // The README shows a three-line excerpt and links here; docs/testing.md holds the whole example.
    const documents = ['docs/testing.md']
      .map((file) => resolve(ROOT, file))
      .filter((file) => existsSync(file) && readFileSync(file, 'utf8').includes(HEADING));
    assert.ok(documents.length > 0, `docs/testing.md has no "${HEADING}" section`);
    for (const file of documents) {
      assert.equal(firstTypeScriptBlock(readFileSync(file, 'utf8'), HEADING), example, `the example in ${file} differs from test/testing/docs-example.spec.ts`);
    }
  });
});
