// The pinned benchmark's floor verdict, on hand-made rounds: a ratio is only judged when both the
// floor and the total are told apart from zero.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pinnedMarkdown } from '../../bench/pinned/pinned-report.js';
import type { PinnedRun, PinnedSample } from '../../bench/pinned/pinned-suite.js';

function rounds(cpu: readonly number[]): PinnedSample[] {
  return cpu.map((cpuMicrosPerRequest) => ({ cpuMicrosPerRequest, reqPerSec: 1000, generatorBusy: 0.5, serverBusy: 0.9, errors: 0 }));
}

function run(floor: readonly number[], np: readonly number[]): PinnedRun {
  return {
    options: { rounds: 5, requests: { fastify: 1000 }, warmupRequests: { fastify: 100 }, variants: { fastify: ['bare', 'floor', 'np'] } } as unknown as PinnedRun['options'],
    startedAt: '2026-12-02T23:00:00.000Z',
    seconds: 1,
    loadBefore: 0,
    loadAfter: 0,
    samples: { fastify: { bare: rounds([10, 10, 10, 10, 10]), floor: rounds(floor), np: rounds(np) } },
  };
}

function verdict(markdown: string): string {
  const line = markdown.split('\n').find((l) => l.startsWith('- fastify:'));
  assert.ok(line !== undefined, 'a verdict line for fastify');
  return line;
}

describe('pinned report: floor verdict', () => {
  it('judges the ratio when the floor and the total are both above zero', () => {
    assert.match(verdict(pinnedMarkdown(run([12, 12, 12, 12, 12], [12.5, 12.5, 12.5, 12.5, 12.5]), 'x')), /1\.25× the floor's added cost — within 1\.5×$/);
    assert.match(verdict(pinnedMarkdown(run([12, 12, 12, 12, 12], [15, 15, 15, 15, 15]), 'x')), /2\.50× the floor's added cost — \*\*not within 1\.5×\*\*$/);
  });

  it('gives no verdict when the floor is not told apart from zero', () => {
    const line = verdict(pinnedMarkdown(run([9, 9.5, 11, 12, 13], [10, 10, 10, 10, 10.5]), 'x'));
    assert.match(line, /no verdict/);
    assert.doesNotMatch(line, /within 1\.5×/);
  });
});
