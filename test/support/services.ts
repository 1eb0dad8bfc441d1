import { connect } from 'node:net';

export interface ServiceCheck {
  /** `false` when the service answers; otherwise the reason to skip (outside CI only). */
  readonly skip: string | false;
}

function reachable(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Whether a service-backed suite can run. In CI (`CI=true`) a missing service is an error, never a
 * skip; elsewhere the suite is skipped with a message saying what to start.
 */
export async function checkService(name: string, port: number): Promise<ServiceCheck> {
  if (await reachable(port)) return { skip: false };
  const message = `${name} is not reachable on 127.0.0.1:${port}; start it (see README "Contributing") to run this suite`;
  if (process.env.CI === 'true') throw new Error(`CI: ${message}`);
  console.warn(`skipping: ${message}`);
  return { skip: message };
}
