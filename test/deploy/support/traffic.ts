/** Real traffic on every route of the sample (SPEC §6), bounded in time and count. */

const JSON_HEADERS = { 'content-type': 'application/json' };

interface Step {
  readonly name: string;
  readonly expect: number;
  readonly send: (base: string, state: { dogId?: number; key: string }) => Promise<Response>;
}

/** One round over the routes; the statuses are those the sample answers (test/sample/sample-app.spec.ts). */
const ROUND: ReadonlyArray<Step> = [
  { name: 'GET /', expect: 200, send: (b) => fetch(`${b}/`) },
  { name: 'GET /help', expect: 200, send: (b) => fetch(`${b}/help`) },
  { name: 'GET /help (AJAX)', expect: 200, send: (b) => fetch(`${b}/help`, { headers: { 'x-requested-with': 'XMLHttpRequest' } }) },
  { name: 'GET /slow', expect: 200, send: (b) => fetch(`${b}/slow`) },
  { name: 'GET /objection', expect: 500, send: (b) => fetch(`${b}/objection`) },
  { name: 'GET /file', expect: 200, send: (b) => fetch(`${b}/file`) },
  { name: 'GET /sql (rows)', expect: 200, send: (b) => fetch(`${b}/sql?query=${encodeURIComponent('SELECT 1 AS one')}`) },
  { name: 'GET /sql (SQL error)', expect: 500, send: (b) => fetch(`${b}/sql?query=${encodeURIComponent('SELEKT nonsense')}`) },
  { name: 'POST /newlawn/:location', expect: 201, send: (b) => fetch(`${b}/newlawn/garden`, { method: 'POST' }) },
  {
    name: 'POST /dogs',
    expect: 201,
    send: async (b, state) => {
      const res = await fetch(`${b}/dogs`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ name: 'Rex', breed: 'lab', age: 3 }) });
      const dog = (await res.clone().json().catch(() => ({}))) as { id?: number };
      state.dogId = dog.id;
      return res;
    },
  },
  { name: 'PATCH /dogs/:id', expect: 200, send: (b, s) => fetch(`${b}/dogs/${s.dogId}`, { method: 'PATCH', headers: JSON_HEADERS, body: JSON.stringify({ age: 4 }) }) },
  { name: 'DELETE /dogs/:id', expect: 204, send: (b, s) => fetch(`${b}/dogs/${s.dogId}`, { method: 'DELETE' }) },
  { name: 'DELETE /dogs/:id (gone)', expect: 404, send: (b, s) => fetch(`${b}/dogs/${s.dogId}`, { method: 'DELETE' }) },
  { name: 'PUT /cache/:key', expect: 204, send: (b, s) => fetch(`${b}/cache/${s.key}`, { method: 'PUT', headers: JSON_HEADERS, body: JSON.stringify({ value: { n: 1 } }) }) },
  { name: 'GET /cache/:key (hit)', expect: 200, send: (b, s) => fetch(`${b}/cache/${s.key}`) },
  { name: 'GET /cache/:key (miss)', expect: 404, send: (b, s) => fetch(`${b}/cache/missing-${s.key}`) },
  { name: 'GET /no-such-route', expect: 404, send: (b) => fetch(`${b}/no-such-route`) },
];

export interface TrafficReport {
  readonly rounds: number;
  readonly requests: number;
  /** Requests sent to each base URL. */
  readonly byUrl: ReadonlyMap<string, number>;
  /** `route: expected status, got status` for every answer that differed. */
  readonly unexpected: string[];
}

/**
 * Runs rounds over every route against each base URL (`loopsPerUrl` loops each) until `durationMs`
 * has passed or `maxRounds` rounds ran, whichever comes first.
 */
export async function driveTraffic(urls: ReadonlyArray<string>, options: { durationMs: number; maxRounds: number; loopsPerUrl: number }): Promise<TrafficReport> {
  const until = Date.now() + options.durationMs;
  let rounds = 0;
  let requests = 0;
  const unexpected: string[] = [];
  const byUrl = new Map<string, number>(urls.map((u) => [u, 0]));
  const loop = async (base: string, loopId: number) => {
    while (Date.now() < until && rounds < options.maxRounds) {
      rounds += 1;
      const state = { key: `k${loopId}-${rounds}` };
      for (const step of ROUND) {
        const res = await step.send(base, state);
        await res.arrayBuffer();
        requests += 1;
        byUrl.set(base, (byUrl.get(base) ?? 0) + 1);
        if (res.status !== step.expect && unexpected.length < 20) unexpected.push(`${step.name} on ${base}: expected ${step.expect}, got ${res.status}`);
      }
    }
  };
  await Promise.all(urls.flatMap((url, u) => Array.from({ length: options.loopsPerUrl }, (_, i) => loop(url, u * 100 + i))));
  return { rounds, requests, byUrl, unexpected };
}
