// A cluster worker with many series answers its primary in several messages (format-2 text in
// parts of about 64 KiB, sent one at a time, so that neither side serializes or parses a whole
// snapshot at once): the primary puts the parts back together and merges every series (real
// processes).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { type Child, fixture, spawnNode } from '../fixtures/child-process.js';

describe('node cluster: answers larger than one message', { timeout: 120_000 }, () => {
  let primary: Child | undefined;
  after(async () => primary?.kill());

  it('the primary merges every series of every worker', async () => {
    const series = 8000; // about 590 KB of format-2 text per worker: about ten parts
    primary = spawnNode([fixture('cluster-large-answers.js')], { WORKERS: '2', SERIES: String(series) });
    const collected = await primary.take('collected');
    assert.equal(collected.event, 'collected', primary.output);
    assert.equal(collected.workers, 2);
    assert.equal(collected.missing, 0, primary.output);
    assert.equal(collected.series, series);
    assert.equal(collected.allSummed, true, 'each series counted once per worker');
  });
});
