import type { Readable, Writable } from 'node:stream';
import { CgiTransport, writeDrained } from './cgi-transport';

/**
 * The one request of a CGI process (RFC 3875): the body is CONTENT_LENGTH bytes of stdin (none
 * without it), the CGI head and body go to stdout. Stdin ending early or stdout closing (EPIPE)
 * means the web server gave up on the request: the app sees `http.disconnect`.
 */
export class StdioTransport extends CgiTransport {
  readonly #stdin: Readable;
  readonly #stdout: Writable;
  #remaining: number;
  #aborted = false;

  constructor(declaredBodyLength: number | null, stdin: Readable, stdout: Writable) {
    super(declaredBodyLength, { pause: () => stdin.pause(), resume: () => stdin.resume() });
    this.#stdin = stdin;
    this.#stdout = stdout;
    this.#remaining = declaredBodyLength ?? 0;
    stdout.on('error', this.#onGone);
    stdout.once('close', this.#onStdoutClose);
    if (this.#remaining === 0) {
      this.endBody();
      return;
    }
    stdin.on('data', this.#onData);
    stdin.once('end', this.#onStdinEnd);
    stdin.on('error', this.#onGone);
  }

  readonly #onData = (chunk: Buffer): void => {
    // RFC 3875 4.2: the script reads CONTENT_LENGTH bytes, and must not wait for more.
    const part = chunk.length > this.#remaining ? chunk.subarray(0, this.#remaining) : chunk;
    this.#remaining -= part.length;
    this.pushBody(part);
    if (this.#remaining === 0) {
      this.#stop();
      this.endBody();
    }
  };

  readonly #onStdinEnd = (): void => {
    if (this.#remaining > 0) this.leave();
  };

  readonly #onStdoutClose = (): void => {
    if (!this.#stdout.writableFinished) this.leave();
  };

  readonly #onGone = (): void => {
    this.#stop();
    this.leave();
  };

  #stop(): void {
    this.#stdin.off('data', this.#onData);
    this.#stdin.off('end', this.#onStdinEnd);
    this.#stdin.pause();
  }

  protected output(chunk: Uint8Array): Promise<void> {
    return writeDrained(this.#stdout, chunk);
  }

  protected finish(): void {
    this.#stop();
    this.#stdout.end();
  }

  /** The response was cut: stdout ended short of it, and the process should exit non-zero. */
  get aborted(): boolean {
    return this.#aborted;
  }

  /**
   * The web server sees stdout end short of the response (a cut body, or no head at all), after
   * every byte written so far; the non-zero exit status says the script failed (RFC 3875 9.4 leaves
   * it to the server).
   */
  abort(): void {
    this.#aborted = true;
    this.#stop();
    this.#stdout.end();
  }
}
