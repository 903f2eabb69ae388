import { STATUS_CODES } from 'node:http';
import type { HeaderList } from '@portico/protocol';
import { describeValue } from './arguments';
import { checkHeaderField } from './datastructures';

/** Headers given as an object or as `[name, value]` pairs. */
export type HeadersInit = Record<string, string> | ReadonlyArray<readonly [string, string]>;

/**
 * Raise it anywhere in a handler to answer with an HTTP error. The exception layer turns it into
 * a response: the handler registered for its status code if any, otherwise a plain-text body
 * with `detail` (the standard reason phrase by default) and the given headers.
 *
 * @example
 * if (!note) throw new HTTPException(404, `note ${id} does not exist`);
 * throw new HTTPException(401, 'sign in first', { 'www-authenticate': 'Bearer' });
 */
export class HTTPException extends Error {
  override readonly name: string = 'HTTPException';
  readonly statusCode: number;
  readonly detail: string;
  readonly headers: HeaderList;

  constructor(statusCode: number, detail?: string, headers?: HeadersInit, options?: ErrorOptions) {
    const text = detail ?? STATUS_CODES[statusCode] ?? `HTTP ${statusCode}`;
    super(`${statusCode}: ${text}`, options);
    if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
      throw new RangeError(`HTTPException needs an HTTP status code (100-599), got ${statusCode}`);
    }
    this.statusCode = statusCode;
    this.detail = text;
    this.headers = headerList(headers);
  }
}

/** A request ended early: the client went away while its body was being read. */
export class ClientDisconnect extends Error {
  override readonly name = 'ClientDisconnect';
}

/** Turn an object or pairs into a protocol header list (names lower-cased). */
export function headerList(init: HeadersInit | undefined): HeaderList {
  if (init === undefined) return [];
  if (typeof init !== 'object' || init === null) throw new TypeError(`headers takes an object { name: value } or [name, value] pairs, got ${describeValue(init)}`);
  const entries: Iterable<readonly [string, string]> = isPairs(init) ? init : Object.entries(init);
  const list: HeaderList = [];
  for (const entry of entries) {
    const [name, value] = entry;
    // Checked here, while the list is built anyway: a number would otherwise reach the host and fail the response.
    if (typeof name !== 'string' || typeof value !== 'string') {
      throw new TypeError(`headers takes string names and values, got ${isPairs(init) ? describeValue(entry) : `${describeValue(value)} for '${name}'`}${typeof value === 'number' ? ` (write String(${value}))` : ''}`);
    }
    checkHeaderField(name, value);
    list.push([name.toLowerCase(), value]);
  }
  return list;
}

function isPairs(init: HeadersInit): init is ReadonlyArray<readonly [string, string]> {
  return Array.isArray(init);
}

/** The app (or a router) was configured after it started serving: configure everything first. */
export class AppStartedError extends Error {
  override readonly name = 'AppStartedError';
}
