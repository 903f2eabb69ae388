import * as classes from './char-classes';
import { ChunkedBodyReader } from './chunked-body';
import { F_CHUNKED, F_CONNECTION_CLOSE, F_CONNECTION_KEEP_ALIVE, F_CONNECTION_UPGRADE, F_CONTENT_LENGTH, F_TRANSFER_ENCODING, F_UPGRADE, FieldLinesReader } from './field-lines';
import { HeadSpans } from './head-spans';
import { CONNECT, METHOD_NAMES } from './methods';
import { RequestLineReader } from './request-line';
import { RequestParseError, type RequestHead, type RequestParserEvents } from './request-head';

// Module-level copies: the CommonJS output would otherwise read each off the exports object per byte.
const { CR, LF } = classes;

/** Between messages (CR and LF are skipped there, as llhttp skips them). */
const IDLE = 0;
const REQUEST_LINE = 1;
const FIELDS = 2;
const LENGTH_BODY = 3;
const CHUNKED_BODY = 4;
const TRAILERS = 5;
/** After a message that does not keep the connection: only CR and LF may follow. */
const CLOSED = 6;
/** After an upgrade's head: the rest of the stream is another protocol's. */
const UPGRADED = 7;

export interface RequestParserOptions {
  /** Node's `maxHeaderSize`: the bytes of the target, field names and values of one head or trailer section. */
  maxHeaderSize: number;
}

class ParsedHead implements RequestHead {
  constructor(
    readonly method: string,
    readonly target: string,
    readonly versionMinor: 0 | 1,
    readonly headers: [string, string][],
    readonly contentLength: number | null,
    readonly chunked: boolean,
    readonly keepAlive: boolean,
    readonly upgrade: boolean,
    readonly expect: boolean,
    readonly expectContinue: boolean,
  ) {}
}

/**
 * Portico's HTTP/1.1 request parser: incremental (any split of the stream, down to one byte per
 * call), and exactly as strict as llhttp in Node's strict mode, which the differential tests in
 * `test/portico-http1` prove case by case; where it is stricter, they list why.
 *
 * @example
 * const parser = new RequestParser({ onHead, onBody, onMessageEnd }, { maxHeaderSize: 16384 });
 * socket.on('data', (data) => {
 *   const used = parser.execute(data); // throws RequestParseError (answer 400, 413 or 431)
 *   if (used < data.length) upgraded(data.subarray(used));
 * });
 * socket.on('end', () => parser.finish());
 */
export class RequestParser {
  readonly #events: RequestParserEvents;
  readonly #spans: HeadSpans;
  readonly #line: RequestLineReader;
  readonly #fields: FieldLinesReader;
  readonly #chunked: ChunkedBodyReader;
  #state = IDLE;
  /** Body bytes still to come on a Content-Length body. */
  #remaining = 0;

  constructor(events: RequestParserEvents, options: RequestParserOptions) {
    this.#events = events;
    this.#spans = new HeadSpans(options.maxHeaderSize);
    this.#line = new RequestLineReader(this.#spans);
    this.#fields = new FieldLinesReader(this.#spans);
    this.#chunked = new ChunkedBodyReader(events);
  }

  /** No request is partly read (between messages, or after the last one). */
  get idle(): boolean {
    return this.#state === IDLE || this.#state === CLOSED || this.#state === UPGRADED;
  }

  /**
   * Parses `data`, any split of the stream. Returns how many bytes were consumed: all of them,
   * except when an upgrade's head (CONNECT, or `Connection: upgrade` with `Upgrade`) completes;
   * then the offset just after that head, and the parser reads nothing more (later calls return 0).
   * Throws `RequestParseError`; after a throw the parser is not used again.
   */
  execute(data: Buffer): number {
    const end = data.length;
    let i = 0;
    while (i < end) {
      switch (this.#state) {
        case IDLE:
          while (i < end && (data[i] === CR || data[i] === LF)) i++;
          if (i < end) this.#beginMessage();
          break;
        case REQUEST_LINE:
          i = this.#line.read(data, i, end);
          if (this.#line.done) {
            this.#fields.begin(true);
            this.#state = FIELDS;
          }
          break;
        case FIELDS:
          i = this.#fields.read(data, i, end);
          if (this.#fields.done && this.#headRead(data)) return i;
          break;
        case LENGTH_BODY: {
          const take = Math.min(this.#remaining, end - i);
          this.#events.onBody(data.subarray(i, i + take));
          i += take;
          this.#remaining -= take;
          if (this.#remaining === 0) this.#messageEnd(null);
          break;
        }
        case CHUNKED_BODY:
          i = this.#chunked.read(data, i, end);
          if (this.#chunked.lastChunk) {
            // The trailer section is bounded by maxHeaderSize on its own, as Node bounds it.
            this.#spans.reset();
            this.#fields.begin(false);
            this.#state = TRAILERS;
          }
          break;
        case TRAILERS:
          i = this.#fields.read(data, i, end);
          if (this.#fields.done) {
            this.#spans.decode(data);
            this.#messageEnd(this.#fields.count === 0 ? null : this.#fieldList());
          }
          break;
        case CLOSED:
          while (i < end && (data[i] === CR || data[i] === LF)) i++;
          // RFC 9112 9.6: nothing is read after a request that closes the connection.
          if (i < end) throw new RequestParseError('HPE_CLOSED_CONNECTION', 'Data after `Connection: close`');
          break;
        default: // UPGRADED
          return 0;
      }
    }
    const state = this.#state;
    if (state === REQUEST_LINE || state === FIELDS || state === TRAILERS) this.#spans.carry(data, end);
    return end;
  }

  /** The peer closed its side: a request partly read is an error (llhttp's `finish`). */
  finish(): void {
    if (!this.idle) throw new RequestParseError('HPE_INVALID_EOF_STATE', 'Invalid EOF state');
  }

  #beginMessage(): void {
    this.#spans.reset();
    this.#fields.resetFlags();
    this.#line.begin();
    this.#state = REQUEST_LINE;
  }

  /** The head is read: hand it over and choose the body. Returns true for an upgrade (stop here). */
  #headRead(data: Buffer): boolean {
    this.#spans.decode(data);
    const line = this.#line;
    const fields = this.#fields;
    const flags = fields.flags;
    const upgrade = ((flags & F_UPGRADE) !== 0 && (flags & F_CONNECTION_UPGRADE) !== 0) || line.method === CONNECT;
    const chunked = (flags & F_CHUNKED) !== 0;
    // RFC 9112 6.3: a request whose last coding is not chunked has no reliable length.
    if (!upgrade && !chunked && (flags & F_TRANSFER_ENCODING) !== 0) throw new RequestParseError('HPE_INVALID_TRANSFER_ENCODING', 'Request has invalid `Transfer-Encoding`');
    const headers = this.#fieldList();
    const versionMinor = line.versionMinor;
    const contentLength = (flags & F_CONTENT_LENGTH) !== 0 ? fields.contentLength : null;
    const expectContinue = fields.sawExpect && versionMinor === 1 && expectsContinue(headers);
    const head = new ParsedHead(METHOD_NAMES[line.method] as string, this.#spans.strings[0] as string, versionMinor, headers, contentLength, chunked, keepsAlive(flags, versionMinor), upgrade, fields.sawExpect, expectContinue);
    if (upgrade) {
      this.#state = UPGRADED;
      this.#events.onHead(head);
      this.#events.onMessageEnd(null);
      return true;
    }
    if (chunked) {
      this.#chunked.begin();
      this.#state = CHUNKED_BODY;
      this.#events.onHead(head);
    } else if (contentLength !== null && contentLength > 0) {
      this.#remaining = contentLength;
      this.#state = LENGTH_BODY;
      this.#events.onHead(head);
    } else {
      this.#events.onHead(head);
      this.#messageEnd(null);
    }
    return false;
  }

  /** The fields of the section just read, from the decoded spans. */
  #fieldList(): [string, string][] {
    const strings = this.#spans.strings;
    const list: [string, string][] = [];
    for (let n = 0; n < this.#fields.count; n++) list.push([strings[1 + 2 * n] as string, strings[2 + 2 * n] as string]);
    return list;
  }

  #messageEnd(trailers: [string, string][] | null): void {
    // Trailers may say `Connection: close` too; llhttp decides with the flags of the whole message.
    this.#state = keepsAlive(this.#fields.flags, this.#line.versionMinor) ? IDLE : CLOSED;
    this.#events.onMessageEnd(trailers);
  }
}

/** llhttp_should_keep_alive: HTTP/1.1 unless `close`, HTTP/1.0 only with `keep-alive`. */
function keepsAlive(flags: number, versionMinor: 0 | 1): boolean {
  return versionMinor === 1 ? (flags & F_CONNECTION_CLOSE) === 0 : (flags & F_CONNECTION_KEEP_ALIVE) !== 0;
}

/** Node's test of an HTTP/1.1 request's Expect fields (joined with ", "): the 100-continue expectation. */
const CONTINUE = /(?:^|\W)100-continue(?:$|\W)/i;

function expectsContinue(headers: [string, string][]): boolean {
  let joined: string | null = null;
  for (const [name, value] of headers) if (name === 'expect') joined = joined === null ? value : `${joined}, ${value}`;
  return joined !== null && CONTINUE.test(joined);
}
