/**
 * Reports every key of `value` that is not a known option (a typo must not pass silently), named
 * with its path, e.g. `export.prot`. Keys in `skip` are reported elsewhere.
 * @internal
 */
export function checkOptionKeys(
  value: object,
  known: ReadonlyArray<string>,
  prefix: string,
  problems: string[],
  skip: ReadonlyArray<string> = [],
): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key) || skip.includes(key)) continue;
    problems.push(`option \`${prefix}${key}\` is unknown; accepted options: ${known.map((k) => prefix + k).join(', ')}`);
  }
}
