import { Duplex } from 'node:stream';

/**
 * One end of an in-memory connection: what is written to it is read from the other end. A write
 * completes once the other end's reader wants more, so back-pressure crosses the pair.
 */
class PairEnd extends Duplex {
  #other: PairEnd | null = null;
  /** Our pending write, completed when the other end reads again. */
  #written: (() => void) | null = null;

  static pair(): [PairEnd, PairEnd] {
    const a = new PairEnd();
    const b = new PairEnd();
    a.#other = b;
    b.#other = a;
    return [a, b];
  }

  override _read(): void {
    const other = this.#other;
    if (other === null) return;
    const written = other.#written;
    other.#written = null;
    written?.();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const other = this.#other;
    if (other === null || other.destroyed) return callback(new Error('the other end of the connection is closed'));
    if (other.push(chunk)) callback();
    else this.#written = () => callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#other?.push(null);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const other = this.#other;
    this.#other = null;
    const written = this.#written;
    this.#written = null;
    written?.();
    // A connection torn down at one end is torn down at both, as a reset socket is.
    if (other !== null && !other.destroyed) other.destroy();
    callback(error);
  }
}

/** Two connected in-memory streams, like the two ends of a socket. */
export function duplexPair(): [Duplex, Duplex] {
  return PairEnd.pair();
}
