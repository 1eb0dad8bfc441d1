// What instrumentPg adds in process, without a server: `npm run build:all && node build/bench/database/wrapper-cost.js`.
// A pg-shaped client whose query answers at once (callback, or an already resolved promise), plain
// and instrumented, in interleaved rounds; prints ns per call. Nothing is asserted.
import { instrumentPg } from 'nest-prometheus';
import { Registry } from 'prom-client';

const CALLS = 500_000;
const ROUNDS = 7;

function client() {
  return {
    query(text: string, values?: unknown, callback?: (error: Error | null, result: string) => void): unknown {
      if (typeof callback === 'function') return void callback(null, text);
      return Promise.resolve(text);
    },
    connect(): Promise<void> {
      return Promise.resolve();
    },
  };
}

const plain = client();
const measured = client();
instrumentPg(measured, { alias: 'bench', registry: new Registry() });

function callbackRound(target: ReturnType<typeof client>): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) target.query('SELECT 1', [], () => undefined);
  return Number(process.hrtime.bigint() - start) / CALLS;
}

async function promiseRound(target: ReturnType<typeof client>): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS / 10; i++) await target.query('SELECT 1');
  return Number(process.hrtime.bigint() - start) / (CALLS / 10);
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
const results = { cbPlain: [] as number[], cbMeasured: [] as number[], prPlain: [] as number[], prMeasured: [] as number[] };
for (let round = 0; round <= ROUNDS; round++) {
  const keep = round > 0; // round 0 warms up
  const a = callbackRound(plain);
  const b = callbackRound(measured);
  const c = await promiseRound(plain);
  const d = await promiseRound(measured);
  if (keep) {
    results.cbPlain.push(a);
    results.cbMeasured.push(b);
    results.prPlain.push(c);
    results.prMeasured.push(d);
  }
}
console.log(`callback path: plain ${median(results.cbPlain).toFixed(0)} ns, instrumented ${median(results.cbMeasured).toFixed(0)} ns per call`);
console.log(`promise path: plain ${median(results.prPlain).toFixed(0)} ns, instrumented ${median(results.prMeasured).toFixed(0)} ns per call`);
