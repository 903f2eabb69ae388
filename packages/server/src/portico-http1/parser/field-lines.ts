import * as classes from './char-classes';
import {
  CONNECTION_FIELD,
  CONTENT_LENGTH_FIELD,
  EXPECT_FIELD,
  knownField,
  knownFieldAt,
  OTHER_FIELD,
  TRANSFER_ENCODING_FIELD,
  UPGRADE_FIELD,
  type KnownField,
} from './field-names';
import type { HeadSpans } from './head-spans';
import { RequestParseError } from './request-head';

// Module-level copies: the CommonJS output would otherwise read each off the exports object per byte.
const { CR, DIGIT_VALUE, FIELD_VALUE_CHAR, HTAB, LF, LIST_ELEMENT_CHAR, LOWER, SP, TOKEN } = classes;

/** llhttp's message flags, set by the framing fields. */
export const F_CONNECTION_KEEP_ALIVE = 1;
export const F_CONNECTION_CLOSE = 2;
export const F_CONNECTION_UPGRADE = 4;
export const F_CHUNKED = 8;
export const F_UPGRADE = 16;
export const F_CONTENT_LENGTH = 32;
export const F_TRANSFER_ENCODING = 512;

const FIRST_LINE = 0;
const LINE_START = 1;
const NAME = 2;
const VALUE_WHITESPACE = 3;
const EMPTY_VALUE_LF = 4;
const EMPTY_VALUE_NEXT = 5;
const VALUE = 6;
const VALUE_END = 7;
const VALUE_LF = 8;
const VALUE_NEXT = 9;
const BLANK_LINE_LF = 10;
const LENGTH_DIGITS = 11;
const LENGTH_SPACES = 12;
const CODING_CHUNKED = 13;
const CODING_CHUNKED_END = 14;
const CODING_OTHER = 15;
const CODING_WHITESPACE = 16;
const CONNECTION_OPTION = 17;
const CONNECTION_WORD = 18;
const CONNECTION_WORD_END = 19;
const CONNECTION_OTHER = 20;

const COLON = 0x3a;
const COMMA = 0x2c;
const CHUNKED = 'chunked';
/** The Connection options llhttp acts on (told apart by their first letters: c, u, k), and the flag each sets. */
const WORDS = ['close', 'upgrade', 'keep-alive'];
const WORD_FLAGS = [F_CONNECTION_CLOSE, F_CONNECTION_UPGRADE, F_CONNECTION_KEEP_ALIVE];
/** Content-Length must stay an exact JavaScript number (llhttp allows up to 2^64 - 1). */
const MAX_LENGTH = Number.MAX_SAFE_INTEGER;

function fail(code: string, reason: string): never {
  throw new RequestParseError(code, reason);
}

/**
 * The field lines of a head or of a chunked body's trailer section, byte by byte as llhttp reads
 * them (its `header_*` states): token names and a colon with no space before it, values of HTAB, SP,
 * VCHAR and obs-text, CRLF line ends only, no obs-fold, and a blank line to end. Content-Length,
 * Transfer-Encoding and Connection (or Proxy-Connection) values are read with llhttp's own small
 * machines, quirks included, and set its flags; the strings go to `HeadSpans`.
 */
export class FieldLinesReader {
  /** The blank line after the fields is read. */
  done = false;
  /** Fields read so far in this section. */
  count = 0;
  /** llhttp's flags of the current message (head and trailers together). */
  flags = 0;
  contentLength = 0;
  /** An `Expect` field was read. */
  sawExpect = false;
  readonly #spans: HeadSpans;
  #state = FIRST_LINE;
  #kind = OTHER_FIELD;
  /** The flag a Connection option or `chunked` sets when its value ends (llhttp's header_state). */
  #pendingFlag = 0;
  /** Position in `chunked` or in the Connection option being matched, and which option. */
  #at = 0;
  #word = 0;

  constructor(spans: HeadSpans) {
    this.#spans = spans;
  }

  /** A new message: no flags. */
  resetFlags(): void {
    this.flags = 0;
    this.contentLength = 0;
  }

  /** A new section: the head's fields (`afterRequestLine`) or a trailer section. */
  begin(afterRequestLine: boolean): void {
    this.done = false;
    this.count = 0;
    this.sawExpect = false;
    this.#pendingFlag = 0;
    this.#state = afterRequestLine ? FIRST_LINE : LINE_START;
  }

  /** Reads from `bytes[i]` to the blank line or `end`; returns where it stopped. The caller carries the spans at `end`. */
  read(bytes: Buffer, i: number, end: number): number {
    const spans = this.#spans;
    while (i < end) {
      const byte = bytes[i] as number;
      switch (this.#state) {
        case FIRST_LINE:
          if (byte === SP) fail('HPE_UNEXPECTED_SPACE', 'Unexpected space after start line');
          this.#state = LINE_START;
          break;
        case LINE_START:
          if (byte === CR) {
            this.#state = BLANK_LINE_LF;
            i++;
          } else if (byte === LF) fail('HPE_INVALID_HEADER_TOKEN', 'Invalid header field char');
          else if (byte === COLON) fail('HPE_INVALID_HEADER_TOKEN', 'Invalid header token');
          else {
            spans.open(1 + 2 * this.count, i);
            this.#state = NAME;
          }
          break;
        case NAME:
          while (i < end && TOKEN[bytes[i] as number] === 1) i++;
          if (i === end) break;
          if (bytes[i] !== COLON) this.#badName(bytes, i);
          this.#nameRead(bytes, i);
          i = this.#ordinaryValue(bytes, i + 1, end);
          break;
        case VALUE_WHITESPACE:
          if (byte === SP || byte === HTAB) i++;
          else if (byte === CR) {
            this.#state = EMPTY_VALUE_LF;
            i++;
          } else if (byte === LF) fail('HPE_INVALID_HEADER_TOKEN', 'Invalid header value char');
          else {
            spans.open(2 + 2 * this.count, i);
            this.#valueStart();
          }
          break;
        case EMPTY_VALUE_LF:
          if (byte !== LF) fail('HPE_STRICT', 'Expected LF after CR');
          this.#state = EMPTY_VALUE_NEXT;
          i++;
          break;
        case EMPTY_VALUE_NEXT:
          if (byte === SP || byte === HTAB) fail('HPE_INVALID_HEADER_TOKEN', 'Invalid header value char');
          if (this.#kind === CONTENT_LENGTH_FIELD) fail('HPE_INVALID_CONTENT_LENGTH', 'Empty Content-Length');
          spans.strings[2 + 2 * this.count++] = '';
          this.#state = LINE_START;
          break;
        case VALUE:
          while (i < end && FIELD_VALUE_CHAR[bytes[i] as number] === 1) i++;
          if (i < end) this.#state = VALUE_END;
          break;
        case VALUE_END:
          if (byte === CR) {
            spans.close(i);
            this.#state = VALUE_LF;
            i++;
          } else {
            spans.countOpen(i);
            if (byte === LF) fail('HPE_CR_EXPECTED', 'Missing expected CR after header value');
            fail('HPE_INVALID_HEADER_TOKEN', 'Invalid header value char');
          }
          break;
        case VALUE_LF:
          if (byte !== LF) fail('HPE_LF_EXPECTED', 'Missing expected LF after header value');
          this.#state = VALUE_NEXT;
          i++;
          break;
        case VALUE_NEXT:
          // obs-fold (RFC 9112 5.2) is refused, as llhttp refuses it.
          if (byte === SP || byte === HTAB) fail('HPE_INVALID_HEADER_TOKEN', 'Unexpected whitespace after header value');
          this.flags |= this.#pendingFlag;
          this.#pendingFlag = 0;
          this.count++;
          this.#state = LINE_START;
          break;
        case BLANK_LINE_LF:
          if (byte !== LF) fail('HPE_STRICT', 'Expected LF after headers');
          this.done = true;
          return i + 1;
        case LENGTH_DIGITS: {
          const digit = DIGIT_VALUE[byte] as number;
          if (digit < 0) {
            this.#state = LENGTH_SPACES;
            break;
          }
          this.contentLength = this.contentLength * 10 + digit;
          i++;
          if (this.contentLength > MAX_LENGTH) {
            spans.countOpen(i);
            fail('HPE_INVALID_CONTENT_LENGTH', 'Content-Length above 2^53 - 1');
          }
          break;
        }
        case LENGTH_SPACES:
          // A trailing space is accepted and a trailing tab refused: llhttp's rule.
          if (byte === SP) i++;
          else if (byte === CR || byte === LF) {
            this.flags |= F_CONTENT_LENGTH;
            this.#state = VALUE_END;
          } else {
            spans.countOpen(i);
            fail('HPE_INVALID_CONTENT_LENGTH', 'Invalid character in Content-Length');
          }
          break;
        case CODING_CHUNKED:
          if ((byte | 0x20) === CHUNKED.charCodeAt(this.#at)) {
            i++;
            if (++this.#at === CHUNKED.length) this.#state = CODING_CHUNKED_END;
          } else this.#state = CODING_OTHER;
          break;
        case CODING_CHUNKED_END:
          if (byte === SP) i++;
          else if (byte === CR || byte === LF) {
            this.#pendingFlag = F_CHUNKED;
            this.#state = VALUE_END;
          } else if (byte === COMMA) {
            // RFC 9112 6.3: in a request, chunked must be the last coding.
            spans.countOpen(i);
            fail('HPE_INVALID_TRANSFER_ENCODING', 'Invalid `Transfer-Encoding` header value');
          } else this.#state = CODING_OTHER;
          break;
        case CODING_OTHER:
          while (i < end && LIST_ELEMENT_CHAR[bytes[i] as number] === 1) i++;
          if (i === end) break;
          if (bytes[i] === COMMA) {
            this.#state = CODING_WHITESPACE;
            i++;
          } else this.#state = VALUE;
          break;
        case CODING_WHITESPACE:
          if (byte === SP || byte === HTAB) i++;
          else {
            this.#at = 0;
            this.#state = CODING_CHUNKED;
          }
          break;
        case CONNECTION_OPTION: {
          if (byte === SP || byte === HTAB) {
            i++;
            break;
          }
          const lower = LOWER[byte] as number;
          this.#word = lower === 0x63 ? 0 : lower === 0x75 ? 1 : lower === 0x6b ? 2 : -1;
          if (this.#word < 0) this.#state = CONNECTION_OTHER;
          else {
            this.#at = 1;
            this.#state = CONNECTION_WORD;
            i++;
          }
          break;
        }
        case CONNECTION_WORD: {
          const word = WORDS[this.#word] as string;
          if (LOWER[byte] !== word.charCodeAt(this.#at)) {
            this.#state = CONNECTION_OTHER;
            break;
          }
          i++;
          if (++this.#at === word.length) {
            this.#pendingFlag = WORD_FLAGS[this.#word] as number;
            this.#state = CONNECTION_WORD_END;
          }
          break;
        }
        case CONNECTION_WORD_END:
          // Only spaces may follow the option (a tab makes it another token: llhttp 9.3's reading).
          if (byte === COMMA) {
            this.flags |= this.#pendingFlag;
            this.#pendingFlag = 0;
            this.#state = CONNECTION_OPTION;
            i++;
          } else if (byte === SP) i++;
          else if (byte === CR || byte === LF) this.#state = VALUE_END;
          else {
            this.#pendingFlag = 0;
            this.#state = CONNECTION_OTHER;
          }
          break;
        default: // CONNECTION_OTHER
          while (i < end && LIST_ELEMENT_CHAR[bytes[i] as number] === 1) i++;
          if (i === end) break;
          if (bytes[i] === COMMA) {
            this.#state = CONNECTION_OPTION;
            i++;
          } else this.#state = VALUE_END;
      }
    }
    return i;
  }

  /**
   * After a name's colon: the states from VALUE_WHITESPACE to VALUE_NEXT taken in one go when the
   * whole line is here and its value needs no machine of its own (the common case); otherwise
   * stops in the state it reached, and the loop goes on from there.
   */
  #ordinaryValue(bytes: Buffer, i: number, end: number): number {
    this.#state = VALUE_WHITESPACE;
    while (i < end && (bytes[i] === SP || bytes[i] === HTAB)) i++;
    if (i === end || bytes[i] === CR || bytes[i] === LF) return i;
    this.#spans.open(2 + 2 * this.count, i);
    this.#valueStart();
    if (this.#state !== VALUE) return i;
    while (i < end && FIELD_VALUE_CHAR[bytes[i] as number] === 1) i++;
    if (i + 2 >= end) return i;
    const next = bytes[i + 2];
    if (bytes[i] !== CR || bytes[i + 1] !== LF || next === SP || next === HTAB) {
      this.#state = VALUE_END;
      return i;
    }
    this.#spans.close(i);
    this.count++;
    this.#state = LINE_START;
    return i + 2;
  }

  /** The name's colon is at `i`: name the field and check it against the framing read so far. */
  #nameRead(bytes: Buffer, i: number): void {
    const spans = this.#spans;
    let field: KnownField | null;
    if (spans.openSpansBuffers) {
      const name = spans.closeNow(bytes, i).toLowerCase();
      field = knownField(name);
      spans.strings[1 + 2 * this.count] = field === null ? name : field.name;
    } else {
      field = knownFieldAt(bytes, spans.openStart, i);
      if (field === null) spans.close(i);
      else spans.closeAs(i, field.name);
    }
    const kind = field === null ? OTHER_FIELD : field.kind;
    this.#kind = kind;
    // RFC 9112 6.3: both framings in one request is an attempt at smuggling.
    if (kind === TRANSFER_ENCODING_FIELD && (this.flags & F_CONTENT_LENGTH) !== 0) fail('HPE_INVALID_TRANSFER_ENCODING', "Transfer-Encoding can't be present with Content-Length");
    if (kind === CONTENT_LENGTH_FIELD && (this.flags & F_TRANSFER_ENCODING) !== 0) fail('HPE_INVALID_CONTENT_LENGTH', "Content-Length can't be present with Transfer-Encoding");
    if (kind === EXPECT_FIELD) this.sawExpect = true;
  }

  /** A name ends in a byte that is neither a token byte nor a colon. */
  #badName(bytes: Buffer, i: number): never {
    const spans = this.#spans;
    if (bytes[i] === SP) {
      // llhttp counts the name before refusing a space after one of its framing names.
      const kind = spans.openSpansBuffers ? knownField(spans.openText(bytes, i).toLowerCase())?.kind : knownFieldAt(bytes, spans.openStart, i)?.kind;
      if (kind !== undefined && kind !== OTHER_FIELD && kind !== EXPECT_FIELD) spans.countOpen(i);
      fail('HPE_INVALID_HEADER_TOKEN', 'Invalid header field char');
    }
    fail('HPE_INVALID_HEADER_TOKEN', 'Invalid header token');
  }

  /** The first byte of a value that is not whitespace: where the framing fields begin their machines. */
  #valueStart(): void {
    switch (this.#kind) {
      case UPGRADE_FIELD:
        this.flags |= F_UPGRADE;
        this.#state = VALUE;
        break;
      case TRANSFER_ENCODING_FIELD:
        // A coding after chunked, in a later field (RFC 9112 6.3).
        if ((this.flags & F_CHUNKED) !== 0) fail('HPE_INVALID_TRANSFER_ENCODING', 'Invalid `Transfer-Encoding` header value');
        this.flags = (this.flags | F_TRANSFER_ENCODING) & ~F_CHUNKED;
        this.#at = 0;
        this.#state = CODING_CHUNKED;
        break;
      case CONTENT_LENGTH_FIELD:
        if ((this.flags & F_CONTENT_LENGTH) !== 0) fail('HPE_UNEXPECTED_CONTENT_LENGTH', 'Duplicate Content-Length');
        this.#state = LENGTH_DIGITS;
        break;
      case CONNECTION_FIELD:
        this.#state = CONNECTION_OPTION;
        break;
      default:
        this.#state = VALUE;
    }
  }
}
