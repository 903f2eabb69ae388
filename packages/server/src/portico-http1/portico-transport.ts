import type { Socket } from 'node:net';
import type { HeaderList } from '@portico/protocol';
import { BODY_BUFFER_SIZE } from '../cycle/body-buffer';
import { NO_CHUNK, RESOLVED } from '../cycle/settled';
import type { HttpTransport, TransportListener } from '../cycle/transport';
import { holdFramed, writeFramed, writeHeld, type HeldBytes } from './framed-writes';
import type { RequestHead } from './parser/request-head';
import { CHUNKED_CODING, CHUNKED_LINE, CLOSE_OPTION, checkField, isField, lastChunk, statusLine, type HostFields } from './response-head';

/** What every transport of one host shares. */
export interface PorticoTransportSettings {
  readonly fields: HostFields;
  /** The host is shutting down: end connections after their current response. */
  readonly closing: boolean;
}

/** What a transport needs of its connection. */
export interface TransportConnection {
  readonly socket: Socket;
  /** This response ended, or was aborted: the next one on the connection may write. */
  responseDone(transport: PorticoTransport): void;
  /** More request body is queued than the app has read: stop reading the socket for now. */
  bodyFull(): void;
  /** The app caught up with the request body: read on. */
  bodyRead(): void;
}

const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n';
const CRLF = '\r\n';

/** Node's `strictContentLength` error, thrown where Node throws it and shown (name, code) as Node shows it. */
class ContentLengthMismatch extends Error {
  override readonly name = 'Error [ERR_HTTP_CONTENT_LENGTH_MISMATCH]';
  readonly code = 'ERR_HTTP_CONTENT_LENGTH_MISMATCH';
}

/** A body that is not the length its head declared. */
function lengthMismatch(declared: number, sent: number): Error {
  return new ContentLengthMismatch(`Response body's content-length of ${sent} byte(s) does not match the content-length of ${declared} byte(s) set in header`);
}

/**
 * One request on a Portico HTTP/1.1 connection (`PorticoConnection`): its body as the parser hands
 * it over, queued until the app reads (the connection stops reading past `BODY_BUFFER_SIZE`), and
 * its response, encoded here and written in one `write` where the cycle gives it whole. Until it is
 * the connection's oldest open response (pipelining) its bytes are held, then written in order.
 */
export class PorticoTransport implements HttpTransport {
  readonly declaredBodyLength: number | null;
  readonly parsedWhole: boolean;
  readonly expectsContinue: boolean;
  readonly #connection: TransportConnection;
  readonly #settings: PorticoTransportSettings;
  readonly #isHead: boolean;
  readonly #http10: boolean;
  /** The client keeps the connection (its version's default and its `Connection` field). */
  readonly #keepAlive: boolean;
  /** A body of unknown length may be chunked: an HTTP/1.1 client, or an HTTP/1.0 one that said `TE: chunked`. */
  readonly #canChunk: boolean;
  #listener: TransportListener | null = null;
  #gone = false;
  /** The connection's oldest open response: it writes to the socket; the others hold their bytes. */
  #writing = false;
  #held: HeldBytes | null = null;
  #heldBytes = 0;
  /** The encoded head, held until the first body bytes so both go in one write. */
  #head = '';
  #headOut = false;
  #chunked = false;
  #close = false;
  /** Body bytes still due under a Content-Length; -1 when the body is not length-framed. */
  #lengthLeft = -1;
  #continued = false;
  #finished = false;
  #aborted = false;
  #drained: (() => void) | null = null;
  /** Body chunks the app has not read yet; made on the first one (most requests have no body). */
  #body: Buffer[] | null = null;
  #bodyBytes = 0;
  #bodyEnded: boolean;
  /** The response ended before the app read the whole body: the rest is read and dropped. */
  #discard = false;
  #reader: ((chunk: Uint8Array | null) => void) | null = null;

  /**
   * `head` as parsed; `bodyless` when the parser reads no body for it (an upgrade answered as a
   * plain request); `close` to end the connection after this response whatever the client asked.
   */
  constructor(connection: TransportConnection, settings: PorticoTransportSettings, head: RequestHead, canChunk: boolean, bodyless: boolean, close: boolean) {
    this.#connection = connection;
    this.#settings = settings;
    this.#isHead = head.method === 'HEAD';
    this.#http10 = head.versionMinor === 0;
    this.#keepAlive = head.keepAlive && !close;
    this.#canChunk = canChunk;
    // RFC 9110 10.1.1: only an HTTP/1.1 client waits for 100 (Node reads Expect from no other).
    this.expectsContinue = head.expectContinue && head.versionMinor === 1;
    this.declaredBodyLength = head.contentLength;
    // RFC 9112 6.3: a request with neither Content-Length nor Transfer-Encoding has no body.
    this.parsedWhole = bodyless || (!head.chunked && (head.contentLength === null || head.contentLength === 0));
    this.#bodyEnded = this.parsedWhole;
  }

  get bodyComplete(): boolean {
    return this.#bodyEnded && this.#bodyBytes === 0;
  }

  get clientGone(): boolean {
    return this.#gone;
  }

  /** The response was ended by the cycle (its bytes may still be held behind an earlier one). */
  get finished(): boolean {
    return this.#finished;
  }

  /** The response was cut: once its held bytes are out, the connection closes. */
  get aborted(): boolean {
    return this.#aborted;
  }

  /** The connection ends after this response. */
  get closes(): boolean {
    return this.#close;
  }

  /** Whether an error answer may still be written in place of this response: it writes, and nothing of it went out. */
  get answerable(): boolean {
    return this.#writing && !this.#headOut && this.#heldBytes === 0;
  }

  listen(listener: TransportListener): void {
    this.#listener = listener;
  }

  /** Its turn to write: the bytes held so far go out. */
  startWriting(): void {
    this.#writing = true;
    const held = this.#held;
    if (held === null) return;
    this.#held = null;
    this.#heldBytes = 0;
    const socket = this.#connection.socket;
    if (this.#gone || !socket.writable) return;
    if (writeHeld(socket, held)) this.#wakeDrained();
  }

  /** The socket drained: a write waiting for it may go on. */
  drained(): void {
    if (this.#writing) this.#wakeDrained();
  }

  // The request body, from the parser.

  pushBody(chunk: Buffer): void {
    if (this.#gone || this.#discard || chunk.length === 0) return;
    const reader = this.#reader;
    if (reader !== null) {
      this.#reader = null;
      reader(chunk);
      return;
    }
    (this.#body ??= []).push(chunk);
    this.#bodyBytes += chunk.length;
    if (this.#bodyBytes >= BODY_BUFFER_SIZE) this.#connection.bodyFull();
  }

  endBody(): void {
    this.#bodyEnded = true;
    const reader = this.#reader;
    this.#reader = null;
    reader?.(null);
  }

  /** Whether the parser is still reading this request's body. */
  get readingBody(): boolean {
    return !this.#bodyEnded;
  }

  /** The response is done and the app read no further: drop what is queued and what still comes. */
  discardBody(): void {
    this.#discard = true;
    this.#body = null;
    this.#bodyBytes = 0;
  }

  readBody(): Promise<Uint8Array | null> {
    if (this.#gone) return NO_CHUNK;
    const body = this.#body;
    if (body !== null && body.length > 0) {
      const chunk = body.length === 1 ? (body[0] as Buffer) : Buffer.concat(body, this.#bodyBytes);
      body.length = 0;
      this.#bodyBytes = 0;
      this.#connection.bodyRead();
      return Promise.resolve(chunk);
    }
    if (this.#bodyEnded) return NO_CHUNK;
    return new Promise((resolve) => (this.#reader = resolve));
  }

  // The response, from the cycle.

  sendContinue(): void {
    if (this.#gone) return;
    this.#continued = true;
    this.#emit(CONTINUE, null, '');
  }

  sendEarlyHints(links: readonly string[]): Promise<void> {
    // RFC 9110 15.2: no 1xx responses to HTTP/1.0 clients.
    if (this.#gone || this.#http10 || links.length === 0) return RESOLVED;
    const value = links.join(', ');
    checkField('link', value);
    // Capitalised as Node's writeEarlyHints writes it, so both hosts send the same bytes.
    this.#emit(`HTTP/1.1 103 Early Hints\r\nLink: ${value}\r\n\r\n`, null, '');
    return RESOLVED;
  }

  writeHead(status: number, headers: HeaderList, bodyLength: number, close: boolean): void {
    if (this.#gone) return;
    const noBody = status < 200 || status === 204 || status === 304 || this.#isHead;
    let head = statusLine(status);
    let appLength = -1;
    let hasLength = false;
    let coding: string | null = null;
    let connection: string | null = null;
    let hasServer = false;
    let hasDate = false;
    let hasKeepAlive = false;
    for (let i = 0; i < headers.length; i++) {
      const field = headers[i] as [string, string];
      const name = field[0];
      const value = field[1];
      checkField(name, value);
      head += `${name}: ${value}\r\n`;
      switch (name.length) {
        case 4:
          if (isField(name, 'date')) hasDate = true;
          break;
        case 6:
          if (isField(name, 'server')) hasServer = true;
          break;
        case 10:
          if (isField(name, 'connection')) connection = value;
          else if (isField(name, 'keep-alive')) hasKeepAlive = true;
          break;
        case 14:
          if (isField(name, 'content-length')) {
            hasLength = true;
            const length = Number(value);
            appLength = Number.isSafeInteger(length) && length >= 0 ? length : -1;
          }
          break;
        case 17:
          if (isField(name, 'transfer-encoding')) coding = value;
          break;
      }
    }
    // Node's rules for its Connection field: a client that expected a 100 and got none may have put
    // body bytes on the wire; a kept connection needs the body's end told (a length, or chunks).
    let keep = this.#keepAlive && !close && !this.#settings.closing && !(this.expectsContinue && !this.#continued);
    if (connection !== null && CLOSE_OPTION.test(connection)) keep = false;
    let chunked = false;
    let addedLength = -1;
    let addChunked = false;
    if (hasLength) {
      // The app framed the body itself.
    } else if (coding !== null) {
      const codingChunked = CHUNKED_CODING.test(coding);
      // As Node: a 204/304 that claims chunks sends none, and closes. A body in a coding that does
      // not end it can only be ended by the close.
      if (noBody) keep &&= !(codingChunked && (status === 204 || status === 304));
      else if (codingChunked) chunked = true;
      else keep = false;
    } else if (bodyLength >= 0) {
      addedLength = bodyLength;
    } else if (!noBody) {
      if (this.#canChunk) chunked = addChunked = true;
      else keep = false;
    }
    if (!hasLength && addedLength < 0 && !this.#canChunk) keep = false;
    const fields = this.#settings.fields;
    head += fields.server === '' || hasServer ? '' : fields.server;
    if (addedLength >= 0) head += `content-length: ${addedLength}\r\n`;
    if (!hasDate && connection === null && !hasKeepAlive) {
      head += fields.ending(keep, addChunked);
    } else {
      if (!hasDate) head += fields.dateLine();
      if (connection === null) head += fields.connectionLines(keep, !hasKeepAlive);
      head += addChunked ? `${CHUNKED_LINE}\r\n` : CRLF;
    }
    this.#head = head;
    this.#chunked = chunked;
    this.#close = !keep;
    this.#lengthLeft = noBody ? -1 : hasLength ? appLength : addedLength;
  }

  flushHead(): void {
    if (!this.#gone && !this.#headOut) this.#emit(this.#takeHead(), null, '');
  }

  write(chunk: Uint8Array): Promise<void> {
    if (this.#gone || chunk.length === 0) return RESOLVED;
    const left = this.#lengthLeft;
    if (left >= 0) {
      if (chunk.length > left) throw lengthMismatch(left, chunk.length);
      this.#lengthLeft = left - chunk.length;
    }
    const head = this.#takeHead();
    const written = this.#chunked ? this.#emit(`${head}${chunk.length.toString(16)}\r\n`, chunk, CRLF) : this.#emit(head, chunk, '');
    return written ? RESOLVED : new Promise((resolve) => (this.#drained = resolve));
  }

  end(chunk: Uint8Array | null, trailers: HeaderList | null): void {
    if (this.#gone) return;
    const size = chunk === null ? 0 : chunk.length;
    const left = this.#lengthLeft;
    if (left >= 0 && size !== left) {
      // A body that falls short still goes out, so the cut that follows comes after every byte sent.
      if (size > 0 && size < left) void this.write(chunk as Uint8Array);
      this.abort();
      throw lengthMismatch(left, size);
    }
    const ending = this.#chunked ? lastChunk(trailers) : '';
    const head = this.#takeHead();
    if (chunk !== null && size > 0 && this.#chunked) this.#emit(`${head}${size.toString(16)}\r\n`, chunk, `\r\n${ending}`);
    else this.#emit(head, chunk, ending);
    this.#finished = true;
    this.#connection.responseDone(this);
  }

  /**
   * Close the connection once the bytes written so far are out: the client sees them, then a close
   * before the framing ended, an incomplete message (RFC 9112 8). A head still held goes nowhere.
   */
  abort(): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#connection.responseDone(this);
  }

  /** The connection closed, or the parser rejected the rest of this request: the client left. */
  leave(): void {
    if (this.#gone) return;
    this.#gone = true;
    this.#held = null;
    const reader = this.#reader;
    this.#reader = null;
    reader?.(null);
    this.#wakeDrained();
    this.#listener?.clientGone();
  }

  #takeHead(): string {
    if (this.#headOut) return '';
    this.#headOut = true;
    const head = this.#head;
    this.#head = '';
    return head;
  }

  /** Write now, or hold until this response's turn; false when the writer should wait for 'drain'. */
  #emit(prefix: string, body: Uint8Array | null, suffix: string): boolean {
    if (this.#writing) {
      const socket = this.#connection.socket;
      return socket.writable ? writeFramed(socket, prefix, body, suffix) : true;
    }
    this.#held ??= [];
    this.#heldBytes += holdFramed(this.#held, prefix, body, suffix);
    return this.#heldBytes < BODY_BUFFER_SIZE;
  }

  #wakeDrained(): void {
    const drained = this.#drained;
    this.#drained = null;
    drained?.();
  }
}
