/**
 * The contract between Portico's own HTTP/1.1 request parser and the host that drives it: what the
 * parser reports for each request, and how it refuses one. The parser follows llhttp (the parser
 * inside `node:http`) in strict mode: what llhttp refuses, it refuses.
 */

/** One request's head, as the parser hands it over once the blank line after the fields is read. */
export interface RequestHead {
  /** The method token, as sent (one of Node's `http.METHODS`). */
  readonly method: string;
  /** The request-target, as sent. */
  readonly target: string;
  /** `HTTP/1.0` or `HTTP/1.1`. */
  readonly versionMinor: 0 | 1;
  /** The fields in order, repeats kept: names lower-cased, values without surrounding whitespace. */
  readonly headers: [string, string][];
  /** The body's length from `Content-Length`; null when there is none (chunked, or no body). */
  readonly contentLength: number | null;
  /** The body is chunked (`Transfer-Encoding` ends in `chunked`). */
  readonly chunked: boolean;
  /** The connection stays open after this request (the version's default, changed by `Connection`). */
  readonly keepAlive: boolean;
  /** `Connection: upgrade` with an `Upgrade` field, or `CONNECT`: the bytes after the head are not HTTP. */
  readonly upgrade: boolean;
  /** The request has an `Expect` field, whatever it asks for. */
  readonly expect: boolean;
  /** `Expect: 100-continue`. */
  readonly expectContinue: boolean;
}

/** What the parser calls while it reads a connection's bytes, in wire order. */
export interface RequestParserEvents {
  /** A request's head is complete. */
  onHead(head: RequestHead): void;
  /** Body bytes of the current request: a view into the buffer given to `execute`, safe to keep. */
  onBody(chunk: Buffer): void;
  /** The current request is complete; `trailers` are the chunked body's trailer fields, if any. */
  onMessageEnd(trailers: [string, string][] | null): void;
}

/**
 * A request the parser refuses. `code` is llhttp's name for the same refusal (`HPE_INVALID_METHOD`,
 * `HPE_HEADER_OVERFLOW`, ...), so that one table decides the answer for both implementations.
 */
export class RequestParseError extends Error {
  override readonly name = 'RequestParseError';

  constructor(
    readonly code: string,
    /** Why, for the log: `Invalid method`, `Header overflow`, ... */
    reason: string,
  ) {
    super(reason);
  }
}
