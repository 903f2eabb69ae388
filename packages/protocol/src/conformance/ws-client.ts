import type { IncomingMessage } from 'node:http';
import { AsyncQueue } from '../async-queue';
import type { HeaderList } from '../types';
import { pairs } from './http-client';
import type { ConformanceWebSocket, ConformanceWebSocketEvent, ConformanceWebSocketOutcome, ConformanceWebSocketRequest } from './types';

/**
 * Open a conformance WebSocket to `origin` (`http://127.0.0.1:8000`) with the `ws` client (an
 * optional peer dependency, loaded on the first call, so hosts without WebSocket never need it). A
 * refused handshake resolves with the HTTP response instead.
 */
export async function websocketOverWs(origin: string, request: ConformanceWebSocketRequest): Promise<ConformanceWebSocketOutcome> {
  const { WebSocket } = await import('ws');
  const url = new URL(request.target, origin);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const headers: Record<string, string> = {};
  for (const [name, value] of request.headers ?? []) headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  const ws = new WebSocket(url, request.subprotocols ?? [], { headers, perMessageDeflate: false });
  const events = new AsyncQueue<ConformanceWebSocketEvent>();
  let closed: ConformanceWebSocketEvent | null = null;
  ws.on('message', (data: Buffer, isBinary: boolean) => events.push(isBinary ? { type: 'bytes', bytes: data } : { type: 'text', text: data.toString('utf8') }));
  ws.on('close', (code: number, reason: Buffer) => {
    closed = { type: 'close', code, reason: reason.toString('utf8') };
    events.push(closed);
  });
  return new Promise((resolve, reject) => {
    ws.once('unexpected-response', (_req, res: IncomingMessage) => {
      const body: Buffer[] = [];
      res.on('data', (chunk: Buffer) => body.push(chunk));
      res.on('end', () => {
        resolve({ accepted: false, response: { status: res.statusCode ?? 0, headers: pairs(res.rawHeaders), body: Buffer.concat(body), trailers: [] } });
        ws.terminate();
      });
    });
    let handshake: HeaderList = [];
    ws.once('upgrade', (res: IncomingMessage) => (handshake = pairs(res.rawHeaders)));
    ws.once('error', reject);
    ws.once('open', () => {
      ws.off('error', reject);
      ws.on('error', () => undefined); // reported as the close that follows
      const socket: ConformanceWebSocket = {
        subprotocol: ws.protocol === '' ? null : ws.protocol,
        headers: handshake,
        send: (message) => new Promise((done, fail) => ws.send(message, { binary: typeof message !== 'string' }, (error) => (error ? fail(error) : done()))),
        receive: () => (closed !== null && events.size === 0 ? Promise.resolve(closed) : events.shift()),
        close: (code, reason) => ws.close(code, reason),
        drop: () => ws.terminate(),
      };
      resolve({ accepted: true, socket });
    });
  });
}
