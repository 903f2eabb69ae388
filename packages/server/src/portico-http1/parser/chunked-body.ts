import * as classes from './char-classes';
import { RequestParseError, type RequestParserEvents } from './request-head';

// Module-level copies: the CommonJS output would otherwise read each off the exports object per byte.
const { CR, FIELD_VALUE_CHAR, HEX_VALUE, LF, QDTEXT, SP, TOKEN } = classes;

const SIZE_START = 0;
const SIZE = 1;
const EXTENSION_START = 2;
const EXTENSION_NAME = 3;
const EXTENSION_VALUE = 4;
const QUOTED = 5;
const QUOTED_PAIR = 6;
const QUOTED_END = 7;
const SIZE_LF = 8;
const DATA = 9;
const DATA_CR = 10;
const DATA_LF = 11;

const SEMICOLON = 0x3b;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Node's bound on one chunk line's extension bytes (names and values), whatever maxHeaderSize is. */
const MAX_EXTENSION_BYTES = 16384;
/** A chunk size must stay an exact JavaScript number (llhttp allows up to 2^64 - 1). */
const MAX_SIZE = Number.MAX_SAFE_INTEGER;

function fail(code: string, reason: string): never {
  throw new RequestParseError(code, reason);
}

/**
 * A chunked body up to its last chunk's line, as llhttp reads it (its `chunk_*` states): a hex
 * size with no whitespace around it, extensions `;name[=token|"quoted"]` with no whitespace, CRLF
 * after the size line and after each chunk's data. Data goes to `onBody` as views of the input.
 */
export class ChunkedBodyReader {
  /** The last chunk's line (size 0) is read: the trailer section follows. */
  lastChunk = false;
  readonly #events: RequestParserEvents;
  #state = SIZE_START;
  #size = 0;
  /** Extension bytes counted on this size line, as Node counts them. */
  #extensionBytes = 0;
  /** Where the extension name or value being read began in this buffer; -1 between them. */
  #spanStart = -1;

  constructor(events: RequestParserEvents) {
    this.#events = events;
  }

  begin(): void {
    this.lastChunk = false;
    this.#state = SIZE_START;
    this.#extensionBytes = 0;
    this.#spanStart = -1;
  }

  /** Reads from `bytes[i]` to the last chunk's line or `end`; returns where it stopped. */
  read(bytes: Buffer, i: number, end: number): number {
    while (i < end) {
      const byte = bytes[i] as number;
      switch (this.#state) {
        case SIZE_START: {
          const digit = HEX_VALUE[byte] as number;
          if (digit < 0) fail('HPE_INVALID_CHUNK_SIZE', 'Invalid character in chunk size');
          this.#size = digit;
          this.#state = SIZE;
          i++;
          break;
        }
        case SIZE: {
          const digit = HEX_VALUE[byte] as number;
          if (digit >= 0) {
            this.#size = this.#size * 16 + digit;
            if (this.#size > MAX_SIZE) fail('HPE_INVALID_CHUNK_SIZE', 'Chunk size above 2^53 - 1');
          } else if (byte === CR) this.#state = SIZE_LF;
          else if (byte === SEMICOLON) this.#state = EXTENSION_START;
          else if (byte === LF) fail('HPE_CR_EXPECTED', 'Missing expected CR after chunk size');
          // No whitespace after the size either (llhttp strict).
          else fail('HPE_INVALID_CHUNK_SIZE', 'Invalid character in chunk size');
          i++;
          break;
        }
        case EXTENSION_START:
          if (byte === SP || byte === CR) fail('HPE_STRICT', 'Invalid character in chunk extensions');
          this.#spanStart = i;
          this.#state = EXTENSION_NAME;
          break;
        case EXTENSION_NAME:
          while (i < end && TOKEN[bytes[i] as number] === 1) i++;
          if (i < end) i = this.#extensionPartEnd(bytes[i] as number, i, 'name');
          break;
        case EXTENSION_VALUE:
          while (i < end && TOKEN[bytes[i] as number] === 1) i++;
          if (i === end) break;
          if (bytes[i] === QUOTE) {
            this.#state = QUOTED;
            i++;
          } else i = this.#extensionPartEnd(bytes[i] as number, i, 'value');
          break;
        case QUOTED:
          while (i < end && QDTEXT[bytes[i] as number] === 1) i++;
          if (i === end) break;
          if (bytes[i] === QUOTE) {
            this.#countExtension(++i);
            this.#state = QUOTED_END;
          } else if (bytes[i] === BACKSLASH) {
            this.#state = QUOTED_PAIR;
            i++;
          } else {
            this.#countExtension(i);
            fail('HPE_STRICT', 'Invalid character in chunk extensions quoted value');
          }
          break;
        case QUOTED_PAIR:
          if (FIELD_VALUE_CHAR[byte] !== 1) {
            this.#countExtension(i);
            fail('HPE_STRICT', 'Invalid quoted-pair in chunk extensions quoted value');
          }
          this.#state = QUOTED;
          i++;
          break;
        case QUOTED_END:
          if (byte === SEMICOLON) this.#state = EXTENSION_START;
          else if (byte === CR) this.#state = SIZE_LF;
          else if (byte === LF) fail('HPE_CR_EXPECTED', 'Missing expected CR after chunk extension value');
          else fail('HPE_STRICT', 'Invalid character in chunk extensions quote value');
          i++;
          break;
        case SIZE_LF:
          if (byte !== LF) fail('HPE_STRICT', 'Expected LF after chunk size');
          this.#extensionBytes = 0;
          if (this.#size === 0) {
            this.lastChunk = true;
            return i + 1;
          }
          this.#state = DATA;
          i++;
          break;
        case DATA: {
          const take = Math.min(this.#size, end - i);
          this.#events.onBody(bytes.subarray(i, i + take));
          i += take;
          this.#size -= take;
          if (this.#size === 0) this.#state = DATA_CR;
          break;
        }
        case DATA_CR:
          if (byte === LF) fail('HPE_CR_EXPECTED', 'Missing expected CR after chunk data');
          if (byte !== CR) fail('HPE_STRICT', 'Expected LF after chunk data');
          this.#state = DATA_LF;
          i++;
          break;
        default: // DATA_LF
          if (byte !== LF) fail('HPE_STRICT', 'Expected LF after chunk data');
          this.#state = SIZE_START;
          i++;
      }
    }
    if (this.#spanStart >= 0) {
      this.#countExtension(end);
      this.#spanStart = 0;
    }
    return i;
  }

  /** The byte after an extension name or token value: `=` (after a name), `;` or CR go on, others fail. */
  #extensionPartEnd(byte: number, i: number, part: 'name' | 'value'): number {
    this.#countExtension(i);
    if (byte === EQUALS && part === 'name') {
      this.#spanStart = i + 1;
      this.#state = EXTENSION_VALUE;
    } else if (byte === SEMICOLON) this.#state = EXTENSION_START;
    else if (byte === CR) this.#state = SIZE_LF;
    else if (byte === LF) fail('HPE_CR_EXPECTED', `Missing expected CR after chunk extension ${part}`);
    else fail('HPE_STRICT', `Invalid character in chunk extensions ${part}`);
    return i + 1;
  }

  /** An extension name or value ends at `end`: Node counts its bytes (HPE_CHUNK_EXTENSIONS_OVERFLOW, 413). */
  #countExtension(end: number): void {
    this.#extensionBytes += end - this.#spanStart;
    this.#spanStart = -1;
    if (this.#extensionBytes > MAX_EXTENSION_BYTES) fail('HPE_CHUNK_EXTENSIONS_OVERFLOW', 'Chunk extensions overflow');
  }
}
