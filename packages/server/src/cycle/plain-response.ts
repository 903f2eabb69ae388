import { STATUS_CODES } from 'node:http';
import type { HeaderList } from '@portico/protocol';
import type { HttpTransport } from './transport';

const PLAIN_TEXT: HeaderList = [['content-type', 'text/plain; charset=utf-8']];
const bodies = new Map<number, Uint8Array>();

/**
 * A short plain-text answer the host gives on its own (400, 413, 500, 503, ...): the reason phrase
 * as the body, and the connection closed after it, since the request body may be left unread.
 */
export function plainResponse(transport: HttpTransport, status: number, method: string): void {
  let body = bodies.get(status);
  if (body === undefined) {
    body = Buffer.from(STATUS_CODES[status] ?? `Status ${status}`, 'latin1');
    bodies.set(status, body);
  }
  transport.writeHead(status, PLAIN_TEXT, body.length, true);
  transport.end(method === 'HEAD' ? null : body, null);
}
