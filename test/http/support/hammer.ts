import { Agent, request } from 'node:http';

/**
 * Sends `total` GET requests to `baseUrl` over keep-alive connections, `concurrency` at a time,
 * and returns how many responses came back with each status.
 */
export async function hammer(baseUrl: string, total: number, path: (i: number) => string, concurrency = 16): Promise<Map<number, number>> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const statuses = new Map<number, number>();
  let next = 0;
  const one = (url: string): Promise<number> =>
    new Promise((resolve, reject) => {
      request(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
        .on('error', reject)
        .end();
    });
  const worker = async (): Promise<void> => {
    while (next < total) {
      const status = await one(`${baseUrl}${path(next++)}`);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return statuses;
}
