import { STATUS_CODES, validateHeaderName, validateHeaderValue, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HeaderList } from '@portico/protocol';

/** A WebSocket opening handshake the host refuses before the app sees it (RFC 6455 4.2.1). */
export interface HandshakeProblem {
  status: number;
  message: string;
  headers: HeaderList;
}

const KEY = /^[+/0-9A-Za-z]{22}==$/;

/** Whether an upgrade request asks for a WebSocket at all (`Upgrade: websocket`). */
export function wantsWebSocket(req: IncomingMessage): boolean {
  return req.headers.upgrade?.toLowerCase() === 'websocket';
}

/**
 * What is wrong with a WebSocket upgrade request, or null. The same checks `ws` makes when it
 * completes the handshake, made up front so a broken request never reaches the app.
 */
export function handshakeProblem(req: IncomingMessage): HandshakeProblem | null {
  if (req.method !== 'GET') return { status: 405, message: 'a WebSocket handshake must use GET', headers: [['allow', 'GET']] };
  const key = req.headers['sec-websocket-key'];
  if (key === undefined || !KEY.test(key)) return { status: 400, message: 'missing or invalid Sec-WebSocket-Key header', headers: [] };
  const version = req.headers['sec-websocket-version'];
  if (version !== '13' && version !== '8') {
    return { status: 426, message: 'missing or unsupported Sec-WebSocket-Version header', headers: [['sec-websocket-version', '13']] };
  }
  return null;
}

/** `Sec-WebSocket-Protocol` values in the client's order (repeated headers joined). */
export function offeredSubprotocols(req: IncomingMessage): string[] {
  const value = req.headers['sec-websocket-protocol'];
  if (value === undefined) return [];
  return value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
}

/**
 * Answer an upgrade request with an HTTP response on the raw socket (a refusal, a denial response
 * from the app, a 500) and close the connection: after a refused upgrade nothing else may follow.
 */
export function writeHttpResponse(socket: Duplex, status: number, headers: HeaderList, body: Uint8Array): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}\r\n`;
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (lower === 'content-length' || lower === 'connection' || lower === 'transfer-encoding') continue;
    head += `${name}: ${value}\r\n`;
  }
  head += `content-length: ${body.length}\r\nconnection: close\r\n\r\n`;
  socket.write(head, 'latin1');
  socket.end(body);
}

/** A short plain-text refusal (`400 missing or invalid Sec-WebSocket-Key header`). */
export function refuseHandshake(socket: Duplex, problem: HandshakeProblem): void {
  writeHttpResponse(socket, problem.status, [['content-type', 'text/plain; charset=utf-8'], ...problem.headers], Buffer.from(problem.message));
}

/** Throws Node's clear TypeError for a header name or value that would split the response head. */
export function checkHeaders(headers: HeaderList): void {
  for (const [name, value] of headers) {
    validateHeaderName(name);
    validateHeaderValue(name, value);
  }
}
