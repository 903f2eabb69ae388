import { readFile } from 'node:fs/promises';
import { HttpCycleRules, type App as GatewayApp, type HeaderList, type HttpReceiveEvent, type HttpScope, type SendEvent } from '@portico/protocol';

/** The app failed or stopped after its response had started: a real client would see the connection cut. */
export class ResponseCutError extends Error {
  override readonly name = 'ResponseCutError';
}

export interface CycleResult {
  status: number;
  headers: HeaderList;
  body: Uint8Array;
  trailers: HeaderList;
  earlyHints: string[][];
}

/** Where a streaming read takes the response as it comes, instead of the cycle collecting it. */
export interface ResponseSink {
  started(status: number, headers: HeaderList): void;
  /** Settles once the reader took the chunk: the back-pressure a socket gives. */
  write(chunk: Uint8Array): Promise<void>;
}

const EMPTY = new Uint8Array(0);
const INTERNAL_ERROR: CycleResult = {
  status: 500,
  headers: [['content-type', 'text/plain; charset=utf-8'], ['content-length', '21']],
  body: Buffer.from('Internal Server Error'),
  trailers: [],
  earlyHints: [],
};

/**
 * One request cycle in memory, as a host runs it: the body goes in through `receive`, the
 * response comes out through `send` under the protocol's HttpCycleRules, and `http.disconnect`
 * follows once the response is complete or the request is aborted.
 */
export class HttpCycle {
  readonly #scope: HttpScope;
  readonly #rules: HttpCycleRules;
  readonly #body: AsyncIterator<Uint8Array>;
  #peeked: Promise<IteratorResult<Uint8Array>>;
  #requestDone = false;
  #gone = false;
  #wakeDisconnect: (() => void) | undefined;
  readonly #disconnected: Promise<void>;
  readonly #result: CycleResult = { status: 0, headers: [], body: EMPTY, trailers: [], earlyHints: [] };
  readonly #chunks: Uint8Array[] = [];
  readonly #sink: ResponseSink | undefined;

  constructor(scope: HttpScope, body: AsyncIterable<Uint8Array>, sink?: ResponseSink) {
    this.#scope = scope;
    this.#sink = sink;
    this.#rules = new HttpCycleRules(scope.extensions);
    this.#body = body[Symbol.asyncIterator]();
    this.#peeked = this.#body.next();
    this.#disconnected = new Promise((resolve) => (this.#wakeDisconnect = resolve));
  }

  /**
   * Run the app. `raise`: re-throw what the app throws; otherwise answer 500 when nothing was
   * sent, and reject with ResponseCutError when the response broke off midway.
   */
  async run(app: GatewayApp, raise: boolean, signal?: AbortSignal): Promise<CycleResult> {
    const outcome = app(this.#scope, () => this.#receive(), (event) => this.#send(event)).then(
      () => ({ ok: true as const }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    if (signal) {
      if (signal.aborted) this.leave();
      signal.addEventListener('abort', () => this.leave(), { once: true });
      const aborted = new Promise<never>((_resolve, reject) => {
        const fail = (): void => reject(signal.reason instanceof Error ? signal.reason : new Error('the request was aborted'));
        if (signal.aborted) fail();
        else signal.addEventListener('abort', fail, { once: true });
      });
      return Promise.race([this.#settle(outcome, raise), aborted]);
    }
    return this.#settle(outcome, raise);
  }

  async #settle(outcome: Promise<{ ok: true } | { ok: false; error: unknown }>, raise: boolean): Promise<CycleResult> {
    const result = await outcome;
    if (this.#gone) return new Promise(() => undefined); // the abort has answered already
    if (result.ok) {
      try {
        this.#rules.returned();
      } catch (error) {
        if (raise) throw error;
        if (this.#rules.phase === 'start') return INTERNAL_ERROR;
        throw new ResponseCutError(`the response was cut off: ${(error as Error).message}`, { cause: error });
      }
    } else {
      if (raise) throw result.error;
      if (this.#rules.phase === 'start') return INTERNAL_ERROR;
      if (this.#rules.phase !== 'done') {
        throw new ResponseCutError(`the app failed after its response had started, so the response was cut off: ${String(result.error)}`, { cause: result.error });
      }
    }
    this.#result.body = this.#scope.method === 'HEAD' ? EMPTY : Buffer.concat(this.#chunks);
    return this.#result;
  }

  async #receive(): Promise<HttpReceiveEvent> {
    if (this.#requestDone || this.#gone) {
      await this.#disconnected;
      return { type: 'http.disconnect' };
    }
    const current = await this.#peeked;
    if (this.#gone) return { type: 'http.disconnect' };
    if (current.done === true) {
      this.#requestDone = true;
      return { type: 'http.request', body: EMPTY, moreBody: false };
    }
    this.#peeked = this.#body.next();
    const moreBody = (await this.#peeked).done !== true;
    this.#requestDone = !moreBody;
    return { type: 'http.request', body: current.value, moreBody };
  }

  async #send(sent: SendEvent): Promise<void> {
    if (this.#gone) return; // the client left: sends succeed and go nowhere
    const event = this.#rules.sent(sent);
    switch (event.type) {
      case 'http.response.start':
        this.#result.status = event.status;
        this.#result.headers = event.headers ?? [];
        this.#sink?.started(event.status, this.#result.headers);
        break;
      case 'http.response.body':
        if (event.body && event.body.length > 0) await this.#take(event.body);
        break;
      case 'http.response.pathsend':
        await this.#take(await readFile(event.path));
        break;
      case 'http.response.trailers':
        this.#result.trailers.push(...(event.headers ?? []));
        break;
      case 'http.response.early_hint':
        this.#result.earlyHints.push(event.links);
        break;
    }
    if (this.#rules.phase === 'done') this.#wakeDisconnect?.();
  }

  #take(chunk: Uint8Array): Promise<void> | void {
    if (this.#sink !== undefined) return this.#scope.method === 'HEAD' ? undefined : this.#sink.write(chunk);
    this.#chunks.push(chunk);
  }

  /** The client goes away: the app's receive yields `http.disconnect`, its sends go nowhere. */
  leave(): void {
    this.#gone = true;
    this.#wakeDisconnect?.();
  }
}
