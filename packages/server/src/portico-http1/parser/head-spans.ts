import * as classes from './char-classes';
import { RequestParseError } from './request-head';

// Module-level copies: the CommonJS output would otherwise read each off the exports object per byte.
const { HTAB, SP } = classes;

/**
 * The spans of one head or trailer section: the target, field names and field values. Their bytes
 * count toward `maxHeaderSize` as Node counts them (every span byte, checked when a span ends and
 * when an `execute` call ends: llhttp's span callbacks), and their strings are decoded from the
 * wire in one piece per `execute` call, since each decode from a Buffer has a fixed cost.
 *
 * Slot 0 is the target; field n has its name in slot 1 + 2n and its value in slot 2 + 2n. Names
 * that reach here are lower-cased, values lose their trailing whitespace (as Node trims them).
 */
export class HeadSpans {
  /** Decoded strings by slot. */
  readonly strings: string[] = [];
  readonly #max: number;
  #used = 0;
  /** Ended spans of the current buffer whose strings are not decoded yet, in wire order. */
  readonly #slots: number[] = [];
  readonly #starts: number[] = [];
  readonly #ends: number[] = [];
  #pending = 0;
  /** The open span: its slot (-1: none), where it began in the current buffer, its text from earlier buffers. */
  #openSlot = -1;
  #openStart = 0;
  #prefix = '';
  /** The pending span (at most one) whose text began in an earlier buffer, and that text. */
  #prefixedSlot = -1;
  #prefixedText = '';

  constructor(maxHeaderSize: number) {
    this.#max = maxHeaderSize;
  }

  /** A new section begins: nothing counted, nothing pending. */
  reset(): void {
    this.#used = 0;
    this.#pending = 0;
    this.#openSlot = -1;
    this.#prefix = '';
    this.#prefixedSlot = -1;
  }

  get isOpen(): boolean {
    return this.#openSlot >= 0;
  }

  /** Where the open span began in the current buffer. */
  get openStart(): number {
    return this.#openStart;
  }

  /** Whether the open span began in an earlier buffer. */
  get openSpansBuffers(): boolean {
    return this.#prefix !== '';
  }

  open(slot: number, start: number): void {
    this.#openSlot = slot;
    this.#openStart = start;
  }

  /** Ends the open span at `end`; its string is decoded with the others of this buffer. */
  close(end: number): void {
    this.#count(end - this.#openStart);
    if (this.#prefix !== '') {
      this.#prefixedSlot = this.#openSlot;
      this.#prefixedText = this.#prefix;
      this.#prefix = '';
    }
    const n = this.#pending++;
    this.#slots[n] = this.#openSlot;
    this.#starts[n] = this.#openStart;
    this.#ends[n] = end;
    this.#openSlot = -1;
  }

  /** Ends the open span at `end` with a string already known (a common field name). */
  closeAs(end: number, text: string): void {
    this.#count(end - this.#openStart);
    this.strings[this.#openSlot] = text;
    this.#openSlot = -1;
  }

  /** Ends the open span at `end` and returns its whole text, not lower-cased (a name that spans buffers). */
  closeNow(bytes: Buffer, end: number): string {
    this.#count(end - this.#openStart);
    const text = this.#prefix + bytes.toString('latin1', this.#openStart, end);
    this.#prefix = '';
    this.#openSlot = -1;
    return text;
  }

  /** The open span's text up to `end`, not lower-cased; the span stays open. */
  openText(bytes: Buffer, end: number): string {
    return this.#prefix + bytes.toString('latin1', this.#openStart, end);
  }

  /** Counts the open span's bytes up to `end`, as llhttp's span callback does before some errors. */
  countOpen(end: number): void {
    this.#count(end - this.#openStart);
    this.#openSlot = -1;
  }

  /** The buffer is used up: its spans are decoded, and the open span's text so far is kept. */
  carry(bytes: Buffer, end: number): void {
    if (this.#openSlot >= 0) {
      this.#count(end - this.#openStart);
      this.#prefix += bytes.toString('latin1', this.#openStart, end);
      this.#openStart = 0;
    }
    this.decode(bytes);
  }

  /** Decodes the pending spans of `bytes` into `strings`. */
  decode(bytes: Buffer): void {
    const pending = this.#pending;
    if (pending === 0) return;
    this.#pending = 0;
    const base = this.#starts[0] as number;
    const text = bytes.toString('latin1', base, this.#ends[pending - 1]);
    for (let n = 0; n < pending; n++) {
      const slot = this.#slots[n] as number;
      const start = this.#starts[n] as number;
      let end = this.#ends[n] as number;
      if (slot > 0 && (slot & 1) === 0) while (end > start && isWhitespace(bytes[end - 1] as number)) end--;
      let string = text.slice(start - base, end - base);
      if (slot === this.#prefixedSlot) {
        string = this.#prefixedText + string;
        if (slot > 0 && (slot & 1) === 0) string = trimEnd(string);
        this.#prefixedSlot = -1;
      }
      this.strings[slot] = (slot & 1) === 1 ? string.toLowerCase() : string;
    }
  }

  #count(bytes: number): void {
    this.#used += bytes;
    if (this.#used >= this.#max) throw new RequestParseError('HPE_HEADER_OVERFLOW', 'Header overflow');
  }
}

function isWhitespace(byte: number): boolean {
  return byte === SP || byte === HTAB;
}

/** The string without trailing spaces and tabs (Node's ToTrimmedString). */
function trimEnd(text: string): string {
  let end = text.length;
  while (end > 0 && isWhitespace(text.charCodeAt(end - 1))) end--;
  return end === text.length ? text : text.slice(0, end);
}
