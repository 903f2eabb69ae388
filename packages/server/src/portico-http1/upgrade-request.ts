import { IncomingMessage, type IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { RequestHead } from './parser/request-head';

/**
 * The `IncomingMessage` an upgrade request would have been on `node:http`, made from the parsed
 * head, so that `WebSocketUpgrades` (and `ws` under it) take it unchanged: method, target,
 * version, `rawHeaders`, and `headers` with repeated fields joined by commas.
 */
export function upgradeRequest(socket: Socket, head: RequestHead): IncomingMessage {
  const req = new IncomingMessage(socket);
  req.method = head.method;
  req.url = head.target;
  req.httpVersionMajor = 1;
  req.httpVersionMinor = head.versionMinor;
  req.httpVersion = `1.${head.versionMinor}`;
  const raw: string[] = [];
  // No prototype: a field named __proto__ is a field like any other.
  const headers: IncomingHttpHeaders = Object.create(null);
  for (const [name, value] of head.headers) {
    raw.push(name, value);
    const seen = headers[name];
    headers[name] = seen === undefined ? value : `${String(seen)}, ${value}`;
  }
  req.rawHeaders = raw;
  req.headers = headers;
  req.complete = true;
  return req;
}
