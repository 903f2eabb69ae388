import { constants, type OutgoingHttpHeaders, type ServerHttp2Stream, type ServerStreamResponseOptions } from 'node:http2';
import type { HeaderList } from '@portico/protocol';
import type { HttpTransport, TransportListener } from '../cycle/transport';
import { NO_CHUNK, RESOLVED } from '../cycle/settled';

/** What every stream of one HTTP/2 host shares. */
export interface Http2TransportSettings {
  readonly serverHeader: boolean;
  readonly dateHeader: boolean;
}

/** RFC 9113 8.2.2: connection-specific fields are malformed in HTTP/2; an app written for HTTP/1.1 may still send them. */
const CONNECTION_SPECIFIC = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);
/** Lets the listeners below, shared by every stream, find the transport of the stream they fire on. */
const TRANSPORT = Symbol('portico.http2.transport');
type Carrier = ServerHttp2Stream & { [TRANSPORT]?: Http2Transport };

/** Node takes fields as an object: a repeated name gets an array, in order. */
function addFields(fields: OutgoingHttpHeaders, list: HeaderList, skip: ReadonlySet<string> | null): OutgoingHttpHeaders {
  for (const [name, value] of list) {
    if (skip?.has(name) === true) continue;
    const existing = fields[name];
    if (existing === undefined) fields[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else fields[name] = [String(existing), value];
  }
  return fields;
}

/**
 * One request on an HTTP/2 stream of `node:http2`. The body is read with `read()`, so an app that
 * does not read leaves the stream paused and its flow-control window closes; `write()` waits for
 * `drain`, which comes when the client's window lets the buffered DATA out. The response head is
 * held until the first body part or the end (as Node's HTTP/1.1 `writeHead` does), so a response
 * that ends at once goes out without `waitForTrailers`, and one that streams can still end with
 * trailers (RFC 9113 8.1).
 */
export class Http2Transport implements HttpTransport {
  readonly declaredBodyLength: number | null;
  readonly parsedWhole = false;
  readonly expectsContinue: boolean;
  readonly #stream: ServerHttp2Stream;
  readonly #settings: Http2TransportSettings;
  #listener: TransportListener | null = null;
  #gone = false;
  #ended: boolean;
  #finished = false;
  #head: OutgoingHttpHeaders | null = null;
  #trailers: HeaderList | null = null;
  #reader: ((chunk: Uint8Array | null) => void) | null = null;
  #drained: (() => void) | null = null;

  constructor(stream: ServerHttp2Stream, declaredBodyLength: number | null, expectsContinue: boolean, settings: Http2TransportSettings) {
    this.#stream = stream;
    this.#settings = settings;
    this.declaredBodyLength = declaredBodyLength;
    this.expectsContinue = expectsContinue;
    this.#ended = stream.endAfterHeaders;
    (stream as Carrier)[TRANSPORT] = this;
    stream.on('end', Http2Transport.#onEnd);
    stream.on('readable', Http2Transport.#onReadable);
    stream.on('drain', Http2Transport.#onDrain);
    stream.on('wantTrailers', Http2Transport.#onWantTrailers);
    stream.on('close', Http2Transport.#onClose);
    // RST_STREAM with an error code and session failures arrive as 'error'; 'close' follows and reports the client gone.
    stream.on('error', noop);
  }

  get bodyComplete(): boolean {
    return this.#ended && this.#stream.readableLength === 0;
  }

  get clientGone(): boolean {
    return this.#gone;
  }

  listen(listener: TransportListener): void {
    this.#listener = listener;
  }

  readBody(): Promise<Uint8Array | null> {
    if (this.#gone) return NO_CHUNK;
    const chunk = this.#stream.read() as Buffer | null;
    if (chunk !== null) return Promise.resolve(chunk);
    if (this.#ended) return NO_CHUNK;
    return new Promise((resolve) => (this.#reader = resolve));
  }

  sendContinue(): void {
    if (!this.#lost() && !this.#stream.headersSent) this.#stream.additionalHeaders({ ':status': 100 });
  }

  sendEarlyHints(links: readonly string[]): Promise<void> {
    if (links.length > 0 && !this.#stream.headersSent && !this.#lost()) this.#stream.additionalHeaders({ ':status': 103, link: [...links] });
    return RESOLVED;
  }

  writeHead(status: number, headers: HeaderList, bodyLength: number, close: boolean): void {
    if (this.#gone) return;
    const head = addFields({ ':status': status }, headers, CONNECTION_SPECIFIC);
    if (bodyLength >= 0 && head['content-length'] === undefined) head['content-length'] = bodyLength;
    if (this.#settings.serverHeader && head['server'] === undefined) head['server'] = 'portico';
    this.#head = head;
    // `close`: the request body may be left unread. RFC 9113 8.1: after a complete response, the
    // server may reset the stream with NO_ERROR so the client stops sending it.
    if (close) this.#stream.once('finish', Http2Transport.#stopRequestBody);
  }

  flushHead(): void {
    if (this.#head !== null && !this.#lost()) this.#respond(false, true);
  }

  write(chunk: Uint8Array): Promise<void> {
    if (this.#lost()) return RESOLVED;
    if (this.#head !== null) this.#respond(false, true);
    if (this.#stream.write(chunk)) return RESOLVED;
    return new Promise((resolve) => (this.#drained = resolve));
  }

  end(chunk: Uint8Array | null, trailers: HeaderList | null): void {
    if (this.#lost()) return;
    const stream = this.#stream;
    const withTrailers = trailers !== null && trailers.length > 0;
    if (this.#head !== null) this.#respond(chunk === null && !withTrailers, withTrailers);
    this.#trailers = trailers;
    // Node ends the stream itself on responding to HEAD, 204, 205 and 304.
    if (stream.writableEnded) return;
    if (chunk === null) stream.end();
    else stream.end(chunk);
  }

  abort(): void {
    if (!this.#stream.closed) this.#stream.close(constants.NGHTTP2_INTERNAL_ERROR);
  }

  /** The stream was reset or its connection failed, and Node's 'close' has not reached us yet. */
  #lost(): boolean {
    if (this.#stream.closed || this.#stream.destroyed) this.#leave();
    return this.#gone;
  }

  #respond(endStream: boolean, waitForTrailers: boolean): void {
    const head = this.#head as OutgoingHttpHeaders;
    this.#head = null;
    // `sendDate` is honoured by Node (processHeaders) but missing from its types.
    const options: ServerStreamResponseOptions & { sendDate: boolean } = { endStream, waitForTrailers, sendDate: this.#settings.dateHeader };
    this.#stream.respond(head, options);
  }

  // Listeners are shared functions (no closures per stream); `this` is the stream.
  static readonly #onReadable = function (this: Carrier): void {
    const transport = this[TRANSPORT];
    if (transport === undefined) return;
    const reader = transport.#reader;
    if (reader === null) return;
    const chunk = this.read() as Buffer | null;
    if (chunk === null) return; // 'end' follows
    transport.#reader = null;
    reader(chunk);
  };

  static readonly #onEnd = function (this: Carrier): void {
    const transport = this[TRANSPORT];
    if (transport === undefined) return;
    transport.#ended = true;
    const reader = transport.#reader;
    transport.#reader = null;
    reader?.(null);
  };

  static readonly #onDrain = function (this: Carrier): void {
    const transport = this[TRANSPORT];
    if (transport !== undefined) transport.#wakeDrained();
  };

  static readonly #onWantTrailers = function (this: Carrier): void {
    const transport = this[TRANSPORT];
    if (transport === undefined) return;
    transport.#finished = true;
    this.sendTrailers(addFields({}, transport.#trailers ?? [], null));
  };

  static readonly #stopRequestBody = function (this: Carrier): void {
    if (this[TRANSPORT]?.bodyComplete === false && !this.closed) this.close(constants.NGHTTP2_NO_ERROR);
  };

  static readonly #onClose = function (this: Carrier): void {
    const transport = this[TRANSPORT];
    // A stream that closes before its response ended, or that the client reset, lost its client.
    if (transport === undefined || transport.#finished || (this.writableFinished && this.rstCode === constants.NGHTTP2_NO_ERROR)) return;
    transport.#leave();
  };

  #wakeDrained(): void {
    const drained = this.#drained;
    this.#drained = null;
    drained?.();
  }

  #leave(): void {
    if (this.#gone) return;
    this.#gone = true;
    const reader = this.#reader;
    this.#reader = null;
    reader?.(null);
    this.#wakeDrained();
    this.#listener?.clientGone();
  }
}

function noop(): void {}
