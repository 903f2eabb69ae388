import type { HeaderList } from '@portico/protocol';

/** What a transport tells its cycle about the client's side of the connection. */
export interface TransportListener {
  /** The connection closed before the response was complete. Called once. */
  clientGone(): void;
}

/**
 * What a host provides for one HTTP request, so that one `HttpCycle` can serve it: the request body
 * with back-pressure, and the response written in the order the cycle decides. A transport knows
 * its wire format (HTTP/1.1 framing, HTTP/2 frames, FastCGI records, ...) and nothing about the
 * protocol's rules, which the cycle owns.
 */
export interface HttpTransport {
  /** The request's declared body length (`Content-Length`), or `null` when it is not known up front. */
  readonly declaredBodyLength: number | null;
  /**
   * The whole request has been parsed: it has no body, so nothing later on the wire can still turn
   * it into a parse error, and the app may start at once. When false, the app starts one microtask
   * late, so that a malformed body that came in the same packet as the head is rejected first.
   */
  readonly parsedWhole: boolean;
  /** The client sent `Expect: 100-continue` and waits for `sendContinue()` before sending the body. */
  readonly expectsContinue: boolean;
  /** Every request body byte has been handed out by `readBody()`. */
  readonly bodyComplete: boolean;
  /** The client left before the response was complete (or the request was rejected by the parser). */
  readonly clientGone: boolean;

  /** Register the cycle that serves this request; called once, before anything else. */
  listen(listener: TransportListener): void;

  /**
   * The next request body chunk; `null` when the body has ended or the client left (see
   * `clientGone`). The source is paused while nobody reads, so a slow app slows the upload.
   */
  readBody(): Promise<Uint8Array | null>;

  /** Send `100 Continue`. */
  sendContinue(): void;
  /** Send `103 Early Hints` with these `Link` values (not to HTTP/1.0 clients). */
  sendEarlyHints(links: readonly string[]): Promise<void>;

  /**
   * Write the response head. `bodyLength` is the body's size when the cycle knows it (the whole body
   * came in one event) and the headers do not say it, or -1. `close` asks to end the connection
   * after this response.
   */
  writeHead(status: number, headers: HeaderList, bodyLength: number, close: boolean): void;
  /**
   * Send the head now, without waiting for the first body byte: the app sent an empty body part,
   * as a stream that opens before it has anything to say does (server-sent events). Transports
   * that never hold the head back leave it out.
   */
  flushHead?(): void;
  /** Write a body chunk; resolves when the transport accepted it (drained) or the client left. */
  write(chunk: Uint8Array): Promise<void>;
  /** End the response, with a last chunk and/or trailers. */
  end(chunk: Uint8Array | null, trailers: HeaderList | null): void;
  /** Cut the connection: a response that cannot be completed must not look complete. */
  abort(): void;
}
