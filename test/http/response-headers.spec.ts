// The header readings every request goes through: the Content-Length parse (digits by hand, the
// rest through `Number()`) must give exactly what `Number()` gives, and the Content-Type charset
// must follow the value even when the last-value cache is in play.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const { contentLengthOf, charsetOf } = (await import(pathToFileURL(join(HERE, '../../../dist/http/response-headers.js')).href)) as {
  contentLengthOf(header: unknown): number;
  charsetOf(contentType: unknown): string | undefined;
};

/** What the parse was before the hand-written path: `Number()`, kept when finite and not negative. */
function reference(header: unknown): number {
  if (typeof header === 'number') return header >= 0 ? header : 0;
  if (typeof header !== 'string') return 0;
  const n = Number(header);
  return Number.isFinite(n) && n >= 0 ? n : 0;
}

describe('contentLengthOf', () => {
  const values: unknown[] = [
    undefined, null, 17, -3, 0, '', '0', '7', '17', '007', '999999999999999', '1234567890123456', '12345678901234567890',
    ' 17', '17 ', '+5', '-1', '1e3', '1.5', '0x10', 'abc', '12a', '١٢', 'Infinity', '9'.repeat(400), ['17'],
  ];
  for (const value of values) {
    it(`reads ${JSON.stringify(value)} as Number() does`, () => {
      assert.equal(contentLengthOf(value), reference(value));
    });
  }
});

describe('charsetOf', () => {
  it('answers for each value, also when values alternate (the last-value cache)', () => {
    const json = 'application/json; charset=utf-8';
    const latin = 'text/html; Charset="ISO-8859-1"';
    for (let i = 0; i < 3; i++) {
      assert.equal(charsetOf(json), 'utf-8');
      assert.equal(charsetOf(json), 'utf-8');
      assert.equal(charsetOf(latin), 'iso-8859-1');
      assert.equal(charsetOf('text/plain'), undefined);
      assert.equal(charsetOf(`${'application/json'}; charset=utf-8`), 'utf-8');
      assert.equal(charsetOf(undefined), undefined);
    }
  });
});
