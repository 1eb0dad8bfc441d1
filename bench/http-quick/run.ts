// Quick, in-process check of the HTTP instrumentation's cost: bare Nest vs Nest + PrometheusModule.forRoot(),
// interleaved rounds of autocannon against GET /items/:id, medians of throughput and server CPU per request.
// Usage: node build/bench/http-quick/run.js [rounds=5] [seconds=4] [adapters=fastify,express]
import autocannon from 'autocannon';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [rounds = 5, seconds = 4] = process.argv.slice(2, 4).map(Number);
const adapters = (process.argv[4] ?? 'fastify,express').split(',');
/** `metrics`: forRoot() defaults (HTTP + default process metrics); `http-only`: defaultMetrics off. */
const variants = (process.argv[5] ?? 'bare,metrics').split(',');
const SERVER = fileURLToPath(new URL('./server.js', import.meta.url));

interface Server { child: ChildProcess; port: number }

function start(adapter: string, variant: string): Promise<Server> {
  const child = fork(SERVER, [adapter, variant], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (m) => resolve({ child, port: (m as { port: number }).port }));
  });
}

function cpu(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.child.once('message', (m) => {
      const { user, system } = (m as { cpu: NodeJS.CpuUsage }).cpu;
      resolve(user + system);
    });
    server.child.send('cpu');
  });
}

async function round(server: Server): Promise<{ rps: number; usPerReq: number }> {
  const before = await cpu(server);
  const result = await autocannon({ url: `http://127.0.0.1:${server.port}/items/42`, connections: 10, duration: seconds });
  const used = (await cpu(server)) - before;
  return { rps: result.requests.average, usPerReq: used / result.requests.total };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

for (const adapter of adapters) {
  const servers = new Map<string, Server>();
  for (const variant of variants) servers.set(variant, await start(adapter, variant));
  for (const server of servers.values()) await autocannon({ url: `http://127.0.0.1:${server.port}/items/1`, connections: 10, duration: 1 });
  const results = new Map<string, Array<{ rps: number; usPerReq: number }>>(variants.map((v) => [v, []]));
  for (let r = 0; r < rounds; r++) {
    // Interleave, rotating who goes first, so drift on the shared machine hits every variant alike.
    const order = variants.map((_, i) => variants[(i + r) % variants.length]!);
    for (const variant of order) results.get(variant)!.push(await round(servers.get(variant)!));
  }
  const summary = (variant: string): { rps: number; usPerReq: number; all: number[] } => {
    const rs = results.get(variant)!;
    return { rps: Math.round(median(rs.map((x) => x.rps))), usPerReq: +median(rs.map((x) => x.usPerReq)).toFixed(1), all: rs.map((x) => Math.round(x.rps)) };
  };
  const base = summary(variants[0]!);
  const out: Record<string, unknown> = { adapter, rounds, seconds, [variants[0]!]: base };
  for (const variant of variants.slice(1)) {
    const v = summary(variant);
    // Paired per round (same moment, same machine load): more robust than a difference of medians.
    const pairs = results.get(variant)!.map((x, i) => ({ ratio: x.rps / results.get(variants[0]!)![i]!.rps, added: x.usPerReq - results.get(variants[0]!)![i]!.usPerReq }));
    out[variant] = {
      ...v,
      throughputRatio: +(v.rps / base.rps).toFixed(3),
      addedCpuUsPerReq: +(v.usPerReq - base.usPerReq).toFixed(1),
      pairedThroughputRatio: +median(pairs.map((p) => p.ratio)).toFixed(3),
      pairedAddedCpuUsPerReq: +median(pairs.map((p) => p.added)).toFixed(1),
    };
  }
  console.log(JSON.stringify(out));
  for (const server of servers.values()) server.child.send('exit');
}
