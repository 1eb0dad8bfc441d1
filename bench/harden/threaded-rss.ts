// What running the module's metrics port on a worker thread (export.threaded) costs: resident
// memory of the whole process and the time of one scrape, against the in-loop port, in the same
// run, interleaved rounds, medians and spread. Run after `npm run build:all`:
//   node build/bench/harden/threaded-rss.js [--rounds=5] [--scrapes=50]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { fixed, median, signed } from '../support/stats.js';

const APP = fileURLToPath(new URL('./rss-app.js', import.meta.url));
const arg = (name: string, fallback: number): number => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const ROUNDS = arg('rounds', 5);
const SCRAPES = arg('scrapes', 50);

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function rssKiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1]);
}

interface Sample {
  readonly idleRss: number;
  readonly scrapedRss: number;
  readonly scrapeMs: number;
}

async function measure(threaded: boolean): Promise<Sample> {
  const port = await freePort();
  const child = spawn(process.execPath, [APP], { env: { ...process.env, PORT: String(port), THREADED: String(threaded) }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('"ready"')) resolve();
    });
    child.once('exit', () => reject(new Error(`the app exited: ${out}`)));
  });
  const pid = child.pid as number;
  const idleRss = rssKiB(pid);
  const times: number[] = [];
  for (let i = 0; i < SCRAPES; i++) {
    const start = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    await res.text();
    times.push(performance.now() - start);
  }
  const scrapedRss = rssKiB(pid);
  child.kill('SIGKILL');
  await once(child, 'exit');
  return { idleRss, scrapedRss, scrapeMs: median(times) };
}

const runs: Record<'loop' | 'thread', Sample[]> = { loop: [], thread: [] };
for (let round = 0; round < ROUNDS; round++) {
  // Interleaved, and the order alternates, so drift on a shared machine hits both alike.
  const order: Array<'loop' | 'thread'> = round % 2 === 0 ? ['loop', 'thread'] : ['thread', 'loop'];
  for (const kind of order) runs[kind].push(await measure(kind === 'thread'));
}

const stat = (kind: 'loop' | 'thread', key: keyof Sample): { med: number; min: number; max: number } => {
  const values = runs[kind].map((s) => s[key]);
  return { med: median(values), min: Math.min(...values), max: Math.max(...values) };
};
const mib = (kib: number): string => fixed(kib / 1024, 1);
const lines = [
  `| measure (${ROUNDS} rounds, ${SCRAPES} scrapes each) | in-loop port | worker-thread port | difference (medians) |`,
  '|---|---:|---:|---:|',
];
for (const [label, key] of [['RSS after startup (MiB)', 'idleRss'], ['RSS after the scrapes (MiB)', 'scrapedRss']] as const) {
  const [l, t] = [stat('loop', key), stat('thread', key)];
  lines.push(`| ${label} | ${mib(l.med)} (${mib(l.min)}–${mib(l.max)}) | ${mib(t.med)} (${mib(t.min)}–${mib(t.max)}) | ${signed((t.med - l.med) / 1024)} MiB |`);
}
const [l, t] = [stat('loop', 'scrapeMs'), stat('thread', 'scrapeMs')];
lines.push(`| one scrape, median (ms) | ${fixed(l.med, 2)} (${fixed(l.min, 2)}–${fixed(l.max, 2)}) | ${fixed(t.med, 2)} (${fixed(t.min, 2)}–${fixed(t.max, 2)}) | ${signed(t.med - l.med, 2)} ms |`);
console.log(lines.join('\n'));
