import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

type FetchHandler = (request: Request) => Promise<Response>;

/** The `Request` a fetch runtime would build for a `node:http` request; aborted when the client leaves. */
function toRequest(req: IncomingMessage, res: ServerResponse): Request {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(`http://${req.headers.host ?? 'localhost'}${req.url}`, {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : null,
    duplex: 'half',
    signal: controller.signal,
  } as RequestInit);
}

/** Write a `Response` to a `node:http` response, streaming its body; a body that fails cuts the connection. */
async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  const fields: string[] = [];
  for (const [name, value] of response.headers) fields.push(name, value);
  res.writeHead(response.status, fields);
  if (response.body === null) {
    res.end();
    return;
  }
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  } catch {
    // Cut the connection after the bytes written so far: `res.destroy()` would drop them (Node
    // corks the socket until the next tick), and the client would see no response at all.
    res.socket?.destroySoon();
  }
}

/**
 * Serve a fetch handler through `node:http`, as a runtime serving `Request`s would, on a free
 * loopback port. For tests: the adapter is checked end to end over real sockets.
 */
export async function serveFetch(handler: FetchHandler): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    handler(toRequest(req, res)).then(
      (response) => writeResponse(response, res),
      () => res.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
