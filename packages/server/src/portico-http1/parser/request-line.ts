import * as classes from './char-classes';
import type { HeadSpans } from './head-spans';
import { CONNECT, methodAllowed, methodAt, methodStep, PRI } from './methods';
import { RequestParseError } from './request-head';

// Module-level copies: the CommonJS output would otherwise read each off the exports object per byte.
const { ALPHA, CR, DIGIT_VALUE, LF, SERVER_CHAR, SP, URL_CHAR } = classes;

const METHOD = 0;
const SPACES_BEFORE_TARGET = 1;
const TARGET_START = 2;
const SCHEME = 3;
const SCHEME_SLASH_1 = 4;
const SCHEME_SLASH_2 = 5;
const AUTHORITY = 6;
/** In the authority after an `@`: a second one right after it is refused. */
const AUTHORITY_AT = 7;
const PATH = 8;
const QUERY = 9;
const FRAGMENT = 10;
const TARGET_CR = 11;
/** The byte after the space that ended the target (llhttp's URL states still see it). */
const AFTER_TARGET = 12;
/** The byte after a line end that ended the target: an HTTP/0.9 request. */
const AFTER_HTTP_09_LINE = 13;
const SPACES_BEFORE_VERSION = 14;
const PROTOCOL = 15;
const PROTOCOL_SLASH = 16;
const MAJOR = 17;
const DOT = 18;
const MINOR = 19;
const PREFACE = 20;
const LINE_CR = 21;
const LINE_LF = 22;
const TAB = 0x09;
const FORM_FEED = 0x0c;

const PROTOCOLS = ['HTTP', 'RTSP', 'ICE'];
/** What follows `PRI * HTTP/2.0` in HTTP/2's connection preface. */
const H2_PREFACE = '\r\n\r\nSM\r\n\r\n';
/** A target that ends the line: llhttp reads an HTTP/0.9 request. */
const NO_HTTP_09 = 'HTTP/0.9 is not supported';

function fail(code: string, reason: string): never {
  throw new RequestParseError(code, reason);
}

/**
 * The request line, byte by byte as llhttp reads it (its `start_req`, `url` and `req_http_*`
 * states): the method from the table, spaces, the request-target with llhttp's URL grammar (origin,
 * absolute, authority for CONNECT, `*`), spaces, `HTTP/x.y`, CRLF. What llhttp accepts here and
 * Portico refuses is refused at the line's end: other protocols than HTTP, and versions other than
 * 1.0 and 1.1 (HTTP/0.9 lines, whose target ends the line, too).
 */
export class RequestLineReader {
  /** The line is read (its LF consumed). */
  done = false;
  /** Index in `METHOD_NAMES`. */
  method = -1;
  versionMinor: 0 | 1 = 1;
  readonly #spans: HeadSpans;
  #state = METHOD;
  /** Trie node of the method, or position in the protocol name or the HTTP/2 preface. */
  #at = 0;
  #protocol = '';
  #major = 0;
  #minor = 0;

  constructor(spans: HeadSpans) {
    this.#spans = spans;
  }

  begin(): void {
    this.done = false;
    this.#state = METHOD;
    this.#at = 0;
  }

  /** Reads from `bytes[i]` to the line's end or `end`; returns where it stopped. The caller carries the spans at `end`. */
  read(bytes: Buffer, i: number, end: number): number {
    while (i < end) {
      const byte = bytes[i] as number;
      switch (this.#state) {
        case METHOD: {
          const next = methodStep(this.#at, byte);
          if (next !== 0) {
            this.#at = next;
            i++;
          } else if (byte === SP && methodAt(this.#at) >= 0) {
            this.method = methodAt(this.#at);
            this.#state = SPACES_BEFORE_TARGET;
            i++;
          } else {
            fail('HPE_INVALID_METHOD', 'Invalid method encountered');
          }
          break;
        }
        case SPACES_BEFORE_TARGET:
          if (byte === SP) i++;
          else {
            this.#spans.open(0, i);
            this.#state = this.method === CONNECT ? AUTHORITY : TARGET_START;
          }
          break;
        case TARGET_START:
          if (byte === 0x2f || byte === 0x2a) this.#state = PATH;
          else if (ALPHA[byte] === 1) this.#state = SCHEME;
          else fail('HPE_INVALID_URL', 'Unexpected start char in url');
          i++;
          break;
        case SCHEME:
          if (ALPHA[byte] === 1) i++;
          else if (byte === 0x3a) {
            this.#state = SCHEME_SLASH_1;
            i++;
          } else fail('HPE_INVALID_URL', 'Unexpected char in url schema');
          break;
        case SCHEME_SLASH_1:
        case SCHEME_SLASH_2:
          if (byte !== 0x2f) fail('HPE_INVALID_URL', 'Unexpected char in url schema');
          this.#state = this.#state === SCHEME_SLASH_1 ? SCHEME_SLASH_2 : AUTHORITY;
          i++;
          break;
        case AUTHORITY:
        case AUTHORITY_AT:
          if (SERVER_CHAR[byte] === 1) {
            this.#state = AUTHORITY;
            i++;
          } else if (byte === 0x2f) this.#state = PATH;
          else if (byte === 0x3f) {
            this.#state = QUERY;
            i++;
          } else if (byte === 0x40) {
            if (this.#state === AUTHORITY_AT) fail('HPE_INVALID_URL', 'Double @ in url');
            this.#state = AUTHORITY_AT;
            i++;
          } else i = this.#targetEnd(i, byte);
          break;
        case PATH:
          while (i < end && URL_CHAR[bytes[i] as number] === 1) i++;
          if (i === end) break;
          if (bytes[i] === 0x3f) {
            this.#state = QUERY;
            i++;
          } else if (bytes[i] === 0x23) {
            this.#state = FRAGMENT;
            i++;
          } else i = this.#targetEnd(i, bytes[i] as number);
          break;
        case QUERY:
          while (i < end && (URL_CHAR[bytes[i] as number] === 1 || bytes[i] === 0x3f)) i++;
          if (i === end) break;
          if (bytes[i] === 0x23) {
            this.#state = FRAGMENT;
            i++;
          } else i = this.#targetEnd(i, bytes[i] as number);
          break;
        case FRAGMENT:
          while (i < end && (URL_CHAR[bytes[i] as number] === 1 || bytes[i] === 0x3f || bytes[i] === 0x23)) i++;
          if (i < end) i = this.#targetEnd(i, bytes[i] as number);
          break;
        case TARGET_CR:
          if (byte !== LF) fail('HPE_INVALID_URL', 'Expected CRLF');
          this.#state = AFTER_HTTP_09_LINE;
          i++;
          break;
        case AFTER_TARGET:
        case AFTER_HTTP_09_LINE:
          if (byte === TAB || byte === FORM_FEED) fail('HPE_INVALID_URL', 'Invalid characters in url');
          // llhttp reads `GET /\r\n` as HTTP/0.9; Portico serves HTTP/1.x only.
          if (this.#state === AFTER_HTTP_09_LINE) fail('HPE_INVALID_VERSION', NO_HTTP_09);
          this.#state = SPACES_BEFORE_VERSION;
          break;
        case SPACES_BEFORE_VERSION:
          if (byte === SP) i++;
          else {
            this.#protocol = '';
            this.#at = 0;
            this.#state = PROTOCOL;
          }
          break;
        case PROTOCOL:
          i = this.#readProtocol(byte, i);
          break;
        case PROTOCOL_SLASH:
          if (byte !== 0x2f) fail('HPE_INVALID_CONSTANT', 'Expected HTTP/, RTSP/ or ICE/');
          this.#state = MAJOR;
          i++;
          break;
        case MAJOR:
        case MINOR: {
          const digit = DIGIT_VALUE[byte] as number;
          if (digit < 0) fail('HPE_INVALID_VERSION', this.#state === MAJOR ? 'Invalid major version' : 'Invalid minor version');
          i++;
          if (this.#state === MAJOR) {
            this.#major = digit;
            this.#state = DOT;
          } else {
            this.#minor = digit;
            this.#versionRead();
          }
          break;
        }
        case DOT:
          if (byte !== 0x2e) fail('HPE_INVALID_VERSION', 'Expected dot');
          this.#state = MINOR;
          i++;
          break;
        case PREFACE:
          if (byte !== H2_PREFACE.charCodeAt(this.#at)) fail('HPE_INVALID_VERSION', 'Expected HTTP/2 Connection Preface');
          i++;
          if (++this.#at === H2_PREFACE.length) fail('HPE_PAUSED_H2_UPGRADE', 'Pause on PRI/Upgrade');
          break;
        case LINE_CR:
          if (byte !== CR) fail('HPE_INVALID_VERSION', 'Expected CRLF after version');
          this.#state = LINE_LF;
          i++;
          break;
        default: // LINE_LF
          if (byte !== LF) fail('HPE_STRICT', 'Expected CRLF after version');
          this.#lineRead();
          return i + 1;
      }
    }
    return i;
  }

  /** The byte after a target: a space ends it, CR or LF would make an HTTP/0.9 line. */
  #targetEnd(i: number, byte: number): number {
    if (byte === SP) {
      this.#spans.close(i);
      this.#state = AFTER_TARGET;
      return i + 1;
    }
    if (byte === CR) {
      this.#spans.countOpen(i);
      this.#state = TARGET_CR;
      return i + 1;
    }
    if (byte === LF) {
      this.#spans.countOpen(i);
      this.#state = AFTER_HTTP_09_LINE;
      return i + 1;
    }
    return fail('HPE_INVALID_URL', 'Invalid characters in url');
  }

  /** `HTTP`, `RTSP` or `ICE` (llhttp's three), then the method must be one that protocol has. */
  #readProtocol(byte: number, i: number): number {
    if (this.#at === 0) {
      const protocol = PROTOCOLS.find((name) => name.charCodeAt(0) === byte);
      if (protocol === undefined) fail('HPE_INVALID_CONSTANT', 'Expected HTTP/, RTSP/ or ICE/');
      this.#protocol = protocol;
    } else if (this.#protocol.charCodeAt(this.#at) !== byte) {
      fail('HPE_INVALID_CONSTANT', 'Expected HTTP/, RTSP/ or ICE/');
    }
    if (++this.#at === this.#protocol.length) {
      if (!methodAllowed(this.method, this.#protocol)) fail('HPE_INVALID_CONSTANT', `Invalid method for ${this.#protocol}/x.x request`);
      this.#state = PROTOCOL_SLASH;
    }
    return i + 1;
  }

  /** llhttp's version check (0.9, 1.0, 1.1, 2.0), then HTTP/2's preface after `PRI`. */
  #versionRead(): void {
    const major = this.#major;
    const minor = this.#minor;
    if (!((major === 1 && minor <= 1) || (major === 0 && minor === 9) || (major === 2 && minor === 0))) fail('HPE_INVALID_VERSION', 'Invalid HTTP version');
    if (this.method === PRI) {
      this.#at = 0;
      this.#state = PREFACE;
    } else this.#state = LINE_CR;
  }

  /** Where Portico is stricter than llhttp: only HTTP/1.0 and HTTP/1.1 reach the application. */
  #lineRead(): void {
    if (this.#protocol !== 'HTTP') fail('HPE_INVALID_CONSTANT', `${this.#protocol}/${this.#major}.${this.#minor} is not HTTP`);
    if (this.#major !== 1) fail('HPE_INVALID_VERSION', `HTTP/${this.#major}.${this.#minor} is not supported`);
    this.versionMinor = this.#minor === 0 ? 0 : 1;
    this.done = true;
  }
}
