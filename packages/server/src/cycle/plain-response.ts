import type { HeaderList } from '@portico/protocol';
import type { HttpTransport } from './transport';

const PLAIN_TEXT: HeaderList = [['content-type', 'text/plain; charset=utf-8']];
/** The statuses hosts answer on their own; a table of our own keeps `node:http` out of the fetch handler. */
const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  404: 'Not Found',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  505: 'HTTP Version Not Supported',
};
const bodies = new Map<number, Uint8Array>();
const encoder = new TextEncoder();

/**
 * A short plain-text answer the host gives on its own (400, 413, 500, 503, ...): the reason phrase
 * as the body, and the connection closed after it, since the request body may be left unread.
 *
 * @example
 * plainResponse(transport, 400, 'GET'); // 400, 'Bad Request'
 */
export function plainResponse(transport: HttpTransport, status: number, method: string): void {
  let body = bodies.get(status);
  if (body === undefined) {
    body = encoder.encode(REASONS[status] ?? `Status ${status}`);
    bodies.set(status, body);
  }
  transport.writeHead(status, PLAIN_TEXT, body.length, true);
  transport.end(method === 'HEAD' ? null : body, null);
}
