import type { Writable } from 'node:stream';
import type { HeaderList } from '@portico/protocol';
import { BODY_BUFFER_SIZE } from '../cycle/body-buffer';
import { NO_CHUNK, RESOLVED } from '../cycle/settled';
import type { HttpTransport, TransportListener } from '../cycle/transport';
import { cgiResponseHead } from './response-head';


/**
 * Write `bytes` and resolve when the stream took them: at once, or on `drain` when its buffer is
 * full, or on `close` when the peer left (then nothing more is written anyway).
 */
export function writeDrained(stream: Writable, bytes: Uint8Array): Promise<void> {
  if (stream.destroyed || stream.writableEnded) return RESOLVED;
  if (stream.write(bytes)) return RESOLVED;
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}

/** Where the request body comes from: paused while the app does not read. */
export interface BodyFlow {
  pause(): void;
  resume(): void;
}

/**
 * What CGI and FastCGI have in common as a transport: the request body arrives as pushed chunks
 * (stdin, FCGI_STDIN records) and is queued with back-pressure; the response goes out as a CGI
 * head (`Status:` and headers, see `cgiResponseHead`) and body bytes. The web server in front
 * handles `Expect: 100-continue` and the HTTP framing, and no trailers or 1xx can cross the CGI
 * interface. A subclass says how bytes leave and how the response ends or is cut.
 */
export abstract class CgiTransport implements HttpTransport {
  readonly declaredBodyLength: number | null;
  readonly parsedWhole = false;
  readonly expectsContinue = false;
  readonly #flow: BodyFlow;
  #listener: TransportListener | null = null;
  #gone = false;
  #chunks: Uint8Array[] = [];
  #queued = 0;
  #bodyEnded = false;
  #paused = false;
  #reader: ((chunk: Uint8Array | null) => void) | null = null;

  constructor(declaredBodyLength: number | null, flow: BodyFlow) {
    this.declaredBodyLength = declaredBodyLength;
    this.#flow = flow;
  }

  get bodyComplete(): boolean {
    return this.#bodyEnded && this.#chunks.length === 0;
  }

  get clientGone(): boolean {
    return this.#gone;
  }

  listen(listener: TransportListener): void {
    this.#listener = listener;
  }

  /** A request body chunk arrived. */
  pushBody(chunk: Uint8Array): void {
    if (this.#gone || this.#bodyEnded || chunk.length === 0) return;
    const reader = this.#reader;
    if (reader !== null) {
      this.#reader = null;
      reader(chunk);
      return;
    }
    this.#chunks.push(chunk);
    this.#queued += chunk.length;
    if (this.#queued > BODY_BUFFER_SIZE && !this.#paused) {
      this.#paused = true;
      this.#flow.pause();
    }
  }

  /** The request body is complete. */
  endBody(): void {
    this.#bodyEnded = true;
    const reader = this.#reader;
    this.#reader = null;
    reader?.(null);
  }

  /** The web server (or the client behind it) left: the app sees `http.disconnect`. */
  leave(): void {
    if (this.#gone) return;
    this.#gone = true;
    this.#chunks = [];
    const reader = this.#reader;
    this.#reader = null;
    reader?.(null);
    this.#listener?.clientGone();
  }

  readBody(): Promise<Uint8Array | null> {
    if (this.#gone) return NO_CHUNK;
    const chunk = this.#chunks.shift();
    if (chunk !== undefined) {
      this.#queued -= chunk.length;
      if (this.#paused && this.#queued <= BODY_BUFFER_SIZE / 2) {
        this.#paused = false;
        this.#flow.resume();
      }
      return Promise.resolve(chunk);
    }
    if (this.#bodyEnded) return NO_CHUNK;
    if (this.#paused) {
      this.#paused = false;
      this.#flow.resume();
    }
    return new Promise((resolve) => (this.#reader = resolve));
  }

  sendContinue(): void {
    // The web server in front answers Expect: 100-continue itself.
  }

  sendEarlyHints(): Promise<void> {
    return RESOLVED; // never listed in the scope's extensions: CGI has no interim responses
  }

  writeHead(status: number, headers: HeaderList, bodyLength: number): void {
    const head = cgiResponseHead(status, headers, bodyLength);
    if (!this.#gone) void this.output(head);
  }

  write(chunk: Uint8Array): Promise<void> {
    return this.#gone ? RESOLVED : this.output(chunk);
  }

  /** Trailers are dropped: the CGI response has no place for them (the host does not list the extension). */
  end(chunk: Uint8Array | null): void {
    if (this.#gone) return;
    if (chunk !== null && chunk.length > 0) void this.output(chunk);
    this.finish();
  }

  /** Hand bytes to the web server; resolves when they were accepted (drained) or the server left. */
  protected abstract output(chunk: Uint8Array): Promise<void>;
  /** The response is complete. */
  protected abstract finish(): void;
  abstract abort(): void;
}
