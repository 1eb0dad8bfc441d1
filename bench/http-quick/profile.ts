// Attributes server CPU to the HTTP instrumentation with V8's sampling profiler, which the
// noise of a shared machine does not skew the way throughput comparisons are skewed.
// Usage: node build/bench/http-quick/profile.js <express|fastify> [seconds=5]
// Prints the server's busy CPU per request and the part of it spent in nest-prometheus's HTTP code
// (dist/http/**) and the builtins it calls.
import autocannon from 'autocannon';
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

const adapter = process.argv[2] ?? 'fastify';
const seconds = Number(process.argv[3] ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'nest-prometheus-prof-'));
const child = fork(fileURLToPath(new URL('./server.js', import.meta.url)), [adapter, 'http-only'], {
  execArgv: ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=100'],
});
const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve((m as { port: number }).port)));
const result = await autocannon({ url: `http://127.0.0.1:${port}/items/42`, connections: 10, duration: seconds });
child.send('exit');
await new Promise((resolve) => child.once('exit', resolve));

const profile = JSON.parse(readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!), 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const ours = (n: ProfileNode): boolean => n.callFrame.url.includes('/dist/http/');
// Builtins and Node internals our code calls (Map#get, performance.now, res.getHeader) are ours;
// other packages are not: a Fastify hook's done() runs the rest of the request, and the route
// wrapper runs Nest's pipeline. (Express's req.protocol getter is left out: a slight undercount.)
const runtime = (n: ProfileNode): boolean => n.callFrame.url === '' || n.callFrame.url.startsWith('node:');
const idle = new Set(['(idle)', '(program)', '(root)']);
let total = 0;
const top = new Map<string, number>();
const visit = (n: ProfileNode, inside: boolean): void => {
  const counted = ours(n) || (inside && runtime(n) && !idle.has(n.callFrame.functionName));
  if (counted) {
    total += selfUs.get(n.id) ?? 0;
    const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}`;
    top.set(key, (top.get(key) ?? 0) + (selfUs.get(n.id) ?? 0));
  }
  for (const c of n.children ?? []) visit(byId.get(c)!, counted);
};
visit(profile.nodes[0]!, false);
const all = profile.nodes.filter((n) => !idle.has(n.callFrame.functionName)).reduce((a, n) => a + (selfUs.get(n.id) ?? 0), 0);
console.log(JSON.stringify({
  adapter,
  requests: result.requests.total,
  serverCpuUsPerRequest: +(all / result.requests.total).toFixed(1),
  instrumentationUsPerRequest: +(total / result.requests.total).toFixed(2),
}));
if (process.env.PROFILE_TOP) {
  for (const [k, v] of [...top].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${(v / result.requests.total).toFixed(2)} µs/req  ${k}`);
}
