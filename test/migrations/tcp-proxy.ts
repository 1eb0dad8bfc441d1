import { createServer, connect, type Socket } from 'node:net';
import { once } from 'node:events';

export interface TcpProxy {
  readonly port: number;
  /** Stops listening and cuts every connection: afterwards the port refuses connections. */
  close(): Promise<void>;
  /** From now on nothing is forwarded: open connections stay open and new ones are accepted, all unanswered (a database that hangs). */
  hold(): void;
}

/** A loopback TCP forwarder to `targetPort`, used to make a live database unreachable on demand. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let holding = false;
  const pairs: Array<[Socket, Socket]> = [];
  const server = createServer((client) => {
    if (holding) {
      sockets.add(client);
      client.on('close', () => sockets.delete(client));
      client.on('error', () => undefined);
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    pairs.push([client, upstream]);
    client.pipe(upstream).pipe(client);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    port,
    hold() {
      holding = true;
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
      }
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
