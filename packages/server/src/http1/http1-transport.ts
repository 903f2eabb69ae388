import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { HeaderList } from '@portico/protocol';
import type { HttpTransport, TransportListener } from '../cycle/transport';
import { NO_CHUNK, RESOLVED } from '../cycle/settled';
import type { Http1Connection } from './http1-connection';
import { SERVER_HEADER } from './host-fields';

/** What every transport of one HTTP/1.1 host shares. */
export interface Http1TransportSettings {
  readonly serverHeader: boolean;
  readonly dateHeader: boolean;
  /** Someone else's code may set headers on `res` before the app answers (Express, under `toNodeHandler`). */
  readonly presetHeaders: boolean;
  /** The host is shutting down: end connections after their current response. */
  readonly closing: boolean;
}

/**
 * Lets the listeners below, shared by every request, find the transport of the req/res they fire
 * on. Set only when a listener is added: a symbol property added to Node's objects costs a
 * megamorphic store and a property array each time.
 */
const TRANSPORT = Symbol('portico.http1.transport');
type Carrier = { [TRANSPORT]?: Http1Transport };
/**
 * Set `fields` on a response that already has headers, one `setHeader` per name so repeats stay;
 * they replace the preset ones of the same name, as `writeHead`'s fields do.
 */
function setOverPreset(res: ServerResponse, fields: HeaderList): void {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of fields) {
    const values = grouped.get(name);
    if (values === undefined) grouped.set(name, [value]);
    else values.push(value);
  }
  for (const [name, values] of grouped) res.setHeader(name, values.length === 1 ? (values[0] as string) : values);
}

/** Write `chunk` unless it goes past the response's Content-Length, which Node refuses with a throw. */
function writeWithinLength(res: ServerResponse, chunk: Uint8Array): void {
  try {
    res.write(chunk);
  } catch {
    // Over the declared length: those bytes must not go out.
  }
}

/** Called as the response attaches to `socket`: Node writes its queued bytes just after. */
function closeAfterFlush(socket: Socket): void {
  process.nextTick(() => {
    if (!socket.destroyed) socket.destroySoon();
  });
}

/**
 * One request on Node's `node:http` (llhttp parses; we never touch raw bytes). Reads the body with
 * `read()` so the socket pauses while the app does not ask for more, and writes through `write()`,
 * waiting for `drain` when Node says its buffer is full.
 */
export class Http1Transport implements HttpTransport {
  readonly declaredBodyLength: number | null;
  readonly parsedWhole: boolean;
  readonly expectsContinue: boolean;
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #settings: Http1TransportSettings;
  #listener: TransportListener | null = null;
  #gone = false;
  #reader: ((chunk: Uint8Array | null) => void) | null = null;
  #drained: (() => void) | null = null;
  #attached: (() => void) | null = null;

  constructor(req: IncomingMessage, res: ServerResponse, expectsContinue: boolean, settings: Http1TransportSettings, connection: Http1Connection) {
    this.#req = req;
    this.#res = res;
    this.#settings = settings;
    this.expectsContinue = expectsContinue;
    const length = req.headers['content-length'];
    this.declaredBodyLength = length === undefined ? null : Number(length); // llhttp accepted it: digits only
    // RFC 9112 6.3: a request with neither Content-Length nor Transfer-Encoding has no body.
    this.parsedWhole = length === undefined ? req.headers['transfer-encoding'] === undefined : this.declaredBodyLength === 0;
    // A body shorter or longer than its Content-Length throws, so the cycle cuts the connection
    // instead of leaving the client waiting for bytes that never come.
    res.strictContentLength = true;
    connection.opened(this);
  }

  get bodyComplete(): boolean {
    return this.#req.complete && this.#req.readableLength === 0;
  }

  get clientGone(): boolean {
    return this.#gone;
  }

  /** Whether the response is attached to the socket and its head not written yet. */
  get answerable(): boolean {
    return this.#res.socket === this.#req.socket && !this.#res.headersSent;
  }

  get finished(): boolean {
    return this.#res.writableFinished;
  }

  /** Call `then` once this response closed (finished or cut). */
  onClose(then: () => void): void {
    this.#res.once('close', then);
  }

  listen(listener: TransportListener): void {
    this.#listener = listener;
  }

  /** The connection closed, or the parser rejected the rest of this request: the client left. */
  leave(): void {
    this.#leave();
  }

  readBody(): Promise<Uint8Array | null> {
    if (this.#gone) return NO_CHUNK;
    const chunk = this.#req.read() as Buffer | null;
    if (chunk !== null) return Promise.resolve(chunk);
    if (this.#req.complete) return NO_CHUNK;
    return new Promise((resolve) => {
      this.#reader = resolve;
      (this.#req as Carrier)[TRANSPORT] = this;
      this.#req.once('readable', Http1Transport.#onReadable);
    });
  }

  sendContinue(): void {
    if (!this.#gone) this.#res.writeContinue();
  }

  sendEarlyHints(links: readonly string[]): Promise<void> {
    // RFC 9110 15.2: no 1xx responses to HTTP/1.0 clients.
    if (this.#gone || this.#req.httpVersionMinor < 1 || links.length === 0) return RESOLVED;
    const res = this.#res;
    if (res.socket !== null) {
      res.writeEarlyHints({ link: [...links] });
      return RESOLVED;
    }
    // The previous response on this connection is still going out, so Node holds this one back;
    // a 103 buffered now would be overtaken by this response's head. Wait for our turn.
    return new Promise((resolve) => {
      this.#attached = resolve;
      res.once('socket', () => {
        if (!this.#gone) res.writeEarlyHints({ link: [...links] });
        this.#wakeAttached();
      });
    });
  }

  writeHead(status: number, headers: HeaderList, bodyLength: number, close: boolean): void {
    if (this.#gone) return;
    const res = this.#res;
    const settings = this.#settings;
    let needServer = settings.serverHeader;
    let needLength = bodyLength >= 0;
    for (let i = 0; i < headers.length && (needServer || needLength); i++) {
      const name = (headers[i] as [string, string])[0];
      if (name === 'server') needServer = false;
      else if (name === 'content-length' || name === 'transfer-encoding') needLength = false;
    }
    if (close || settings.closing) res.shouldKeepAlive = false;
    let fields = headers;
    if (needServer || needLength) {
      // A copy, so the app's list stays as it gave it; of its final size, since a push onto a
      // copied list allocates room for 16 more fields.
      const count = headers.length;
      fields = new Array<[string, string]>(count + (needServer ? 1 : 0) + (needLength ? 1 : 0));
      for (let i = 0; i < count; i++) fields[i] = headers[i] as [string, string];
      if (needServer) fields[count] = SERVER_HEADER;
      if (needLength) fields[fields.length - 1] = ['content-length', String(bodyLength)];
    }
    // Date, Connection and Keep-Alive are Node's, spelt as Node spells them: written by the
    // transport, each would go through Node's field checks on every response.
    res.sendDate = settings.dateHeader;
    // Node takes [name, value] tuples as they are: repeats and order kept, values validated. Not
    // when someone set headers on `res` first (Express's X-Powered-By): then it reads the array
    // as flat name/value pairs, so the fields go in with setHeader.
    try {
      if (settings.presetHeaders && res.getHeaderNames().length > 0) {
        setOverPreset(res, fields);
        res.writeHead(status);
      } else {
        res.writeHead(status, fields);
      }
    } catch (error) {
      // A field Node refused: the 500 that follows must not keep this status's reason phrase.
      res.statusMessage = '';
      throw error;
    }
  }

  flushHead(): void {
    // Node keeps a written head until the first body byte; an empty chunk is no such byte.
    if (!this.#gone) this.#res.flushHeaders();
  }

  write(chunk: Uint8Array): Promise<void> {
    if (this.#gone || this.#res.write(chunk)) return RESOLVED;
    return new Promise((resolve) => {
      this.#drained = resolve;
      (this.#res as Carrier)[TRANSPORT] = this;
      this.#res.once('drain', Http1Transport.#onDrain);
    });
  }

  end(chunk: Uint8Array | null, trailers: HeaderList | null): void {
    if (this.#gone) return;
    if (trailers !== null && trailers.length > 0) this.#res.addTrailers(trailers);
    if (chunk === null) this.#res.end();
    else this.#endWith(chunk);
  }

  #endWith(chunk: Uint8Array): void {
    try {
      this.#res.end(chunk);
    } catch (error) {
      // Node checks the Content-Length before writing a last chunk: one that falls short still goes
      // out (a longer one cannot), so the cut that follows comes after every byte the app sent.
      if ((error as NodeJS.ErrnoException).code === 'ERR_HTTP_CONTENT_LENGTH_MISMATCH') writeWithinLength(this.#res, chunk);
      throw error;
    }
  }

  /**
   * Close the connection once the head and body bytes written so far are out: the client sees them,
   * then a close before the framing ended, an incomplete message (RFC 9112 8). `res.destroy()` would
   * drop them, since Node corks the socket until the next tick.
   */
  abort(): void {
    const socket = this.#res.socket;
    // Queued behind a pipelined response: Node writes this one's bytes right after attaching it.
    if (socket === null) this.#res.once('socket', closeAfterFlush);
    else if (!socket.destroyed) socket.destroySoon();
  }

  // Listeners are shared functions (no closures per request); `this` is the req or res.
  static readonly #onReadable = function (this: IncomingMessage): void {
    const transport = (this as Carrier)[TRANSPORT];
    if (transport === undefined) return;
    const reader = transport.#reader;
    if (reader === null) return;
    const chunk = this.read() as Buffer | null;
    if (chunk === null && !this.complete) {
      this.once('readable', Http1Transport.#onReadable);
      return;
    }
    transport.#reader = null;
    reader(chunk);
  };

  static readonly #onDrain = function (this: ServerResponse): void {
    const transport = (this as Carrier)[TRANSPORT];
    if (transport !== undefined) transport.#wakeDrained();
  };

  #wakeDrained(): void {
    const drained = this.#drained;
    this.#drained = null;
    drained?.();
  }

  #wakeAttached(): void {
    const attached = this.#attached;
    this.#attached = null;
    attached?.();
  }

  #leave(): void {
    if (this.#gone) return;
    this.#gone = true;
    const reader = this.#reader;
    this.#reader = null;
    reader?.(null);
    this.#wakeDrained();
    this.#wakeAttached();
    this.#listener?.clientGone();
  }
}
