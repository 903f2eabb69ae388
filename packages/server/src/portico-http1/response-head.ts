import { STATUS_CODES, validateHeaderName, validateHeaderValue } from 'node:http';
import type { HeaderList } from '@portico/protocol';
import { httpDate } from '../http1/http-date';
import { SERVER_HEADER } from '../http1/host-fields';

/** RFC 9110 5.6.2 token characters: what Node accepts as a field name. */
const TOKEN = /^[\^_`a-zA-Z\-0-9!#$%&'*+.|~]+$/;
/** Bytes no field value may hold (CR, LF, NUL and the other controls), as Node checks them. */
const INVALID_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * Throw Node's own TypeError (`Header name must be a valid HTTP token`, `Invalid character in
 * header content`) for a field that would split the response head; the regular expressions run
 * first so that a valid field costs no call into Node.
 */
export function checkField(name: string, value: string): void {
  if (typeof name !== 'string' || !TOKEN.test(name)) validateHeaderName(name);
  if (typeof value !== 'string' || INVALID_VALUE.test(value)) validateHeaderValue(name, value);
}

/** `name` is `lower`, in any case (an app may send `Content-Length`). */
export function isField(name: string, lower: string): boolean {
  return name === lower || name.toLowerCase() === lower;
}

const statusLines = new Array<string | undefined>(1000).fill(undefined);

/** `HTTP/1.1 200 OK\r\n`, made once per status; Node's reason phrases, and its version for every client. */
export function statusLine(status: number): string {
  let line = statusLines[status];
  if (line === undefined) {
    line = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'unknown'}\r\n`;
    if (status >= 0 && status < statusLines.length) statusLines[status] = line;
  }
  return line;
}

/** What a response head says about what follows it. */
export interface HeadSettings {
  readonly serverHeader: boolean;
  readonly dateHeader: boolean;
  /** The `keep-alive` value sent with a kept connection (`timeout=5`); '' for none. */
  readonly keepAliveField: string;
}

/**
 * The fields a host adds at the end of most heads, encoded once: `server`, and (once per second,
 * with the date) the four endings `Date`, `Connection`, `Keep-Alive` and `Transfer-Encoding` take,
 * spelt and placed as Node's `ServerResponse` writes them, so both HTTP/1.1 hosts frame alike. A
 * response whose app sent none of them pays for no string building.
 */
export class HostFields {
  /** `server: portico\r\n`, or '' with the server header off. */
  readonly server: string;
  readonly #settings: HeadSettings;
  #date: string | null = null;
  #keep = '';
  #close = '';
  #keepChunked = '';
  #closeChunked = '';

  constructor(settings: HeadSettings) {
    this.#settings = settings;
    this.server = settings.serverHeader ? `${SERVER_HEADER[0]}: ${SERVER_HEADER[1]}\r\n` : '';
  }

  /** The end of a head whose app sent no `date`, `connection` or `keep-alive`, blank line included. */
  ending(keep: boolean, chunked: boolean): string {
    const date = this.#settings.dateHeader ? httpDate() : '';
    if (date !== this.#date) this.#encode(date);
    if (keep) return chunked ? this.#keepChunked : this.#keep;
    return chunked ? this.#closeChunked : this.#close;
  }

  /** The `Date` line, or '' with the date header off. */
  dateLine(): string {
    return this.#settings.dateHeader ? `Date: ${httpDate()}\r\n` : '';
  }

  /** The `Connection` line (and `Keep-Alive` with a kept one). */
  connectionLines(keep: boolean, withKeepAlive: boolean): string {
    if (!keep) return 'Connection: close\r\n';
    const field = this.#settings.keepAliveField;
    return withKeepAlive && field !== '' ? `Connection: keep-alive\r\nKeep-Alive: ${field}\r\n` : 'Connection: keep-alive\r\n';
  }

  #encode(date: string): void {
    this.#date = date;
    const dateLine = date === '' ? '' : `Date: ${date}\r\n`;
    this.#keep = `${dateLine}${this.connectionLines(true, true)}\r\n`;
    this.#close = `${dateLine}${this.connectionLines(false, false)}\r\n`;
    this.#keepChunked = `${dateLine}${this.connectionLines(true, true)}${CHUNKED_LINE}\r\n`;
    this.#closeChunked = `${dateLine}${this.connectionLines(false, false)}${CHUNKED_LINE}\r\n`;
  }
}

/** Written last and capitalised, where Node's own `ServerResponse` writes it, so both hosts frame alike. */
export const CHUNKED_LINE = 'Transfer-Encoding: chunked\r\n';

/** `Transfer-Encoding` values that end in chunked, as Node reads an app's own field. */
export const CHUNKED_CODING = /(?:^|\W)chunked(?:$|\W)/i;
/** `Connection` values that close, as Node reads an app's own field. */
export const CLOSE_OPTION = /(?:^|\W)close(?:$|\W)/i;

/** The last chunk of a chunked body with its trailer fields (RFC 9112 7.1.2), checked as Node checks them. */
export function lastChunk(trailers: HeaderList | null): string {
  if (trailers === null || trailers.length === 0) return '0\r\n\r\n';
  let text = '0\r\n';
  for (const [name, value] of trailers) {
    checkField(name, value);
    text += `${name}: ${value}\r\n`;
  }
  return `${text}\r\n`;
}
