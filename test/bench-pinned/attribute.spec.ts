// The instruction benchmark's dump reading and attribute.js's naming, on a hand-written callgrind
// dump and perf map (the real ones come from valgrind runs that take minutes).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { addDump, attribute, callerBreakdown, COMPILERS, emptyProfile, PerfMap, rowName, UNMAPPED } from '../../bench/pinned/attribute.js';
import { parseDump, splitDump } from '../../bench/pinned/callgrind-dump.js';

// main calls JIT code at 0x1010, which calls the optimising compiler (which calls Zone::New) and a
// builtin. Self: main 150, 0x1010 200, compiler 250, Zone::New 50, LoadIC 100 = 750. A call's cost
// line (after `calls=`) is inclusive and belongs to no one's self cost.
const DUMP = `# callgrind format
version: 1
creator: callgrind-3.19.0
pid: 42
cmd:  /usr/bin/node --perf-basic-prof --no-compact-code-space server.js
part: 2

positions: line
events: Ir
summary: 750

ob=(1) /usr/bin/node
fl=(1) ???
fn=(1) main
0 100
cfn=(2) 0x0000000000001010
calls=1 0
0 600
+1 50
fn=(2)
0 200
cfn=(3) v8::internal::compiler::GraphReducer::ReduceTop()
calls=2 0
* 300
cfn=(4) Builtins_LoadIC
calls=1 0
0 100
fn=(3)
0 250
cfn=(5) v8::internal::Zone::New(unsigned long)
calls=1 0
0 50
fn=(5)
0 50
fn=(4)
-1 100
`;

// Two entries cover 0x1010: the later line (newer code at a reused address) names it. Only the
// interpreted entry covers 0x1050.
const MAP = `1000 100 JS:~old app.js:9:1
1000 40 JS:*handler app.js:1:1
2000 10 JS:*other app.js:5:1
`;

describe('callgrind dumps (bench/pinned)', () => {
  it('reads self costs through name compression, keeping call costs apart', () => {
    const dump = parseDump(DUMP);
    assert.equal(dump.total, 750);
    assert.equal(dump.command, '/usr/bin/node --perf-basic-prof --no-compact-code-space server.js');
    assert.deepEqual(Object.fromEntries(dump.self), {
      main: 150,
      '0x0000000000001010': 200,
      'v8::internal::compiler::GraphReducer::ReduceTop()': 250,
      'v8::internal::Zone::New(unsigned long)': 50,
      Builtins_LoadIC: 100,
    });
    assert.equal(dump.calls.get('main')?.get('0x0000000000001010'), 600);
    assert.equal(dump.calls.get('0x0000000000001010')?.get('v8::internal::compiler::GraphReducer::ReduceTop()'), 300);
  });

  it('counts the compilers once, by the calls that enter them', () => {
    assert.deepEqual(splitDump(DUMP), { total: 750, compile: 300 });
  });

  it('names JIT addresses by the newest covering perf map entry and folds the rest', () => {
    const map = new PerfMap(MAP);
    assert.equal(map.lookup(0x1010), 'JS:*handler app.js:1:1');
    assert.equal(map.lookup(0x1050), 'JS:~old app.js:9:1');
    assert.equal(map.lookup(0x3000), undefined);
    assert.equal(rowName('0x0000000000001010', map), 'JS:*handler app.js:1:1');
    assert.equal(rowName("0x0000000000001010'2", map), 'JS:*handler app.js:1:1');
    assert.equal(rowName('0x0000000000001050', map), UNMAPPED);
    assert.equal(rowName('0x0000000000003000', map), UNMAPPED);
    assert.equal(rowName('v8::internal::compiler::GraphReducer::ReduceTop()', map), COMPILERS);
    assert.equal(rowName('Builtins_LoadIC', map), 'Builtins_LoadIC');
  });

  it('breaks calls down by the JS function behind them', () => {
    const profile = addDump(emptyProfile(), parseDump(DUMP), new PerfMap(MAP), 10);
    assert.equal(profile.requests, 10);
    assert.equal(profile.self.get('JS:*handler app.js:1:1'), 200);
    assert.equal(profile.compile, 300);
    assert.deepEqual(Object.fromEntries(callerBreakdown(profile, /LoadIC/)), { 'Builtins_LoadIC ← JS:*handler app.js:1:1': 100 });
    assert.deepEqual(Object.fromEntries(callerBreakdown(profile, /Zone::New/)), { [`v8::internal::Zone::New() ← ${COMPILERS}`]: 50 });
  });
});

describe('attribute.js on a kept directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'np-attribute-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const servers = [
    { pid: 4194401, adapter: 'fastify', variant: 'base', process: 0, label: 'fastify/base#1', requestsPerBatch: 10, dumps: ['cg.4194401.2'] },
    { pid: 4194402, adapter: 'fastify', variant: 'np', process: 0, label: 'fastify/np#1', requestsPerBatch: 10, dumps: ['cg.4194402.2'] },
  ];
  writeFileSync(join(dir, 'variants.json'), JSON.stringify({ nodeOptions: [], servers }));
  writeFileSync(join(dir, 'cg.4194401.2'), DUMP);
  writeFileSync(join(dir, 'cg.4194402.2'), DUMP.replace('0 200', '0 300').replace('summary: 750', 'summary: 850'));
  writeFileSync(join(dir, 'perf-4194401.map'), MAP);
  const options = { dir, adapter: 'fastify', base: 'base', variant: 'np', top: 3, callers: /LoadIC/ };
  const warnings: string[] = [];

  it('prints the difference per request by function', () => {
    writeFileSync(join(dir, 'perf-4194402.map'), MAP);
    const text = attribute(options, (line) => warnings.push(line));
    assert.match(text, /\| counted \| 75\.0 \| 85\.0 \| \+10\.0 \|/);
    assert.match(text, /\| \+10\.0 \| 20\.0 \| 30\.0 \| `JS:\*handler app\.js:1:1` \|/);
    assert.match(text, /`Builtins_LoadIC ← JS:\*handler app\.js:1:1`/);
    assert.deepEqual(warnings, []);
  });

  it('says what is missing', () => {
    assert.throws(() => attribute({ ...options, dir: join(dir, 'nowhere') }, () => {}), /no such directory/);
    assert.throws(() => attribute({ ...options, variant: 'np-hooks' }, () => {}), /no fastify server of variant "np-hooks".*variants: base, np/);
    rmSync(join(dir, 'perf-4194402.map'));
    assert.throws(() => attribute(options, () => {}), /no perf map for fastify\/np#1 \(pid 4194402\)/);
    writeFileSync(join(dir, 'cg.4194402.2'), DUMP.replace('--perf-basic-prof ', ''));
    assert.throws(() => attribute(options, () => {}), /fastify\/np#1 \(pid 4194402\) ran without --perf-basic-prof/);
  });
});
