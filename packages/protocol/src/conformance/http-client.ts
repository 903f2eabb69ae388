import { request as httpRequest, type Agent, type ClientRequest } from 'node:http';
import type { HeaderList } from '../types';
import { IncompleteResponseError } from './incomplete-response';
import type { ConformanceRequest, ConformanceResponse } from './types';

/**
 * Send one conformance request over HTTP/1.1 to `origin` (e.g. `http://127.0.0.1:8000`) with
 * Node's client, keeping repeated headers and trailers. Hosts reached over HTTP use this as
 * their `request`.
 */
export function requestOverHttp(origin: string, agent: Agent, request: ConformanceRequest): Promise<ConformanceResponse> {
  const url = new URL(origin);
  const flatHeaders: string[] = [];
  for (const [name, value] of request.headers ?? []) flatHeaders.push(name, value);
  // Node adds no Host to array headers, and HTTP/1.1 servers must answer 400 without one (RFC 9112 3.2).
  if (!(request.headers ?? []).some(([name]) => name.toLowerCase() === 'host')) flatHeaders.push('host', url.host);
  const chunks = request.body ?? [];
  if (chunks.length > 0 && !(request.headers ?? []).some(([name]) => name.toLowerCase() === 'content-length')) {
    flatHeaders.push('transfer-encoding', 'chunked');
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      agent,
      host: url.hostname,
      port: url.port,
      method: request.method,
      path: request.target,
      headers: flatHeaders as unknown as Record<string, string>,
      signal: request.signal,
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const body: Buffer[] = [];
      const received = (): ConformanceResponse => ({
        status: res.statusCode ?? 0,
        headers: pairs(res.rawHeaders),
        body: Buffer.concat(body),
        trailers: pairs(res.rawTrailers),
      });
      // The connection closed before the framing ended (RFC 9112 8): an incomplete message.
      const cut = (): void => reject(new IncompleteResponseError(received(), 'the response was cut off before it ended'));
      res.on('data', (chunk: Buffer) => body.push(chunk));
      res.on('error', cut);
      res.on('aborted', cut);
      res.on('end', () => (res.complete ? resolve(received()) : cut()));
    });
    void writeChunks(req, chunks).catch(reject);
  });
}

async function writeChunks(req: ClientRequest, chunks: Uint8Array[]): Promise<void> {
  for (const chunk of chunks) {
    if (!req.write(chunk)) await new Promise((resolve) => req.once('drain', resolve));
    // Let each chunk leave separately so hosts see a streamed body.
    await new Promise((resolve) => setImmediate(resolve));
  }
  req.end();
}

/** Node's raw `[name, value, ...]` list as lower-cased pairs. */
export function pairs(raw: string[]): HeaderList {
  const list: HeaderList = [];
  for (let i = 0; i < raw.length; i += 2) list.push([raw[i]!.toLowerCase(), raw[i + 1]!]);
  return list;
}
