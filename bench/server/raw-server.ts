import { createServer, type Server } from 'node:http';

/** The upper bound: `node:http` answering `GET /items/:id` with the same JSON as the Nest apps. */
export async function startRawServer(): Promise<Server> {
  const server = createServer((request, response) => {
    const match = /^\/items\/([^/?]+)$/.exec(request.url ?? '');
    if (request.method !== 'GET' || match === null) {
      response.writeHead(404).end();
      return;
    }
    const id = decodeURIComponent(match[1] as string);
    const body = JSON.stringify({ id, name: `item ${id}` });
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
