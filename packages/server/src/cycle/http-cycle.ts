import {
  HttpCycleRules,
  ProtocolError,
  type App,
  type HeaderList,
  type HttpDisconnectEvent,
  type HttpReceiveEvent,
  type HttpResponseStartEvent,
  type HttpScope,
  type Receive,
  type Send,
} from '@portico/protocol';
import { requestLine } from '../access-log';
import { plainResponse } from './plain-response';
import type { CycleSettings } from './settings';
import { RESOLVED } from './settled';
import type { HttpTransport, TransportListener } from './transport';

// Read once, at load: a package's re-exports in CommonJS output are getters V8 does not inline.
const Rules = HttpCycleRules;

export type { CycleSettings } from './settings';

const DISCONNECT: HttpDisconnectEvent = Object.freeze({ type: 'http.disconnect' });
const EMPTY = new Uint8Array(0);
const NO_HEADERS: HeaderList = [];

/**
 * One HTTP request cycle between an app and a transport: the only place that decides what is
 * written when, for every host. It checks the app's events with the protocol's `HttpCycleRules`,
 * holds the response head until the first body part (so a one-part body gets a Content-Length),
 * answers 500 when the app fails before anything was written and cuts the connection when it fails
 * after, drops the body of HEAD responses, turns a vanished client into `http.disconnect` (and
 * later sends into no-ops), and enforces `maxBodySize`.
 *
 * @example
 * const cycle = new HttpCycle(scope, transport, settings);
 * await cycle.run(app); // never rejects: failures are answered and logged
 */
export class HttpCycle implements TransportListener {
  readonly scope: HttpScope;
  readonly #transport: HttpTransport;
  readonly #settings: CycleSettings;
  readonly #rules: HttpCycleRules;
  /** The app's `http.response.start`, held until the first body part. */
  #start: HttpResponseStartEvent | null = null;
  #headWritten = false;
  /** False for HEAD and for statuses without a body (1xx, 204, 304). */
  #bodyAllowed = true;
  #responseComplete = false;
  #requestComplete = false;
  /** The app must see `http.disconnect` and its sends go nowhere: the client left, or the body was too large. */
  #disconnected = false;
  #received = 0;
  #continueAsked = false;
  #trailers: HeaderList | null = null;
  /** Resolves when a `receive` waiting past the body should yield `http.disconnect`. */
  #settled: Promise<void> | null = null;
  #wakeReceive: (() => void) | null = null;
  #done: (() => void) | undefined = undefined;

  constructor(scope: HttpScope, transport: HttpTransport, settings: CycleSettings) {
    this.scope = scope;
    this.#transport = transport;
    this.#settings = settings;
    this.#rules = new Rules(scope.extensions);
    transport.listen(this);
  }

  /**
   * Call the app and see the response through, then call `done`. A request with a body still to
   * parse starts the app one microtask late: when its head and a malformed body arrive in the same
   * packet, the parser rejects it first and the app is never called.
   */
  run(app: App, done?: () => void): Promise<void> {
    this.#done = done;
    return this.#transport.parsedWhole ? this.#callApp(app) : RESOLVED.then(() => this.#callApp(app));
  }

  #callApp(app: App): Promise<void> {
    const transport = this.#transport;
    const declared = transport.declaredBodyLength;
    const limit = this.#settings.maxBodySize;
    if (transport.clientGone) {
      this.#finish();
      return RESOLVED;
    }
    if (limit !== undefined && declared !== null && declared > limit) {
      this.#rejectBody();
      this.#finish();
      return RESOLVED;
    }
    let returned: unknown;
    try {
      returned = app(this.scope, this.receive, this.send);
    } catch (error) {
      this.#appFailed(error);
      return RESOLVED;
    }
    // A `then`, not an async frame with an `await`, which allocates more per request.
    return Promise.resolve(returned).then(this.#appReturned, this.#appFailed);
  }

  // Each returns nothing: a promise returned from a `then` callback costs extra microtasks.
  readonly #appReturned = (): void => {
    try {
      this.#rules.returned();
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#finish();
    }
  };

  readonly #appFailed = (error: unknown): void => {
    try {
      this.#fail(error);
    } finally {
      this.#finish();
    }
  };

  /** The app is done (or never ran): a `receive` still waiting yields `http.disconnect`, and `done` runs. */
  #finish(): void {
    this.#wake();
    this.#done?.();
  }

  /** Answer without calling the app (the host is over its concurrency limit, say). */
  reject(status: number): void {
    this.#respondPlain(status);
  }

  /** Called by the transport. */
  clientGone(): void {
    this.#disconnected = true;
    this.#wake();
  }

  readonly receive: Receive = async (): Promise<HttpReceiveEvent> => {
    if (this.#disconnected) return DISCONNECT;
    if (this.#requestComplete) {
      // Nothing more to read: the next event is the client leaving, or the response completing.
      if (!this.#responseComplete) await (this.#settled ??= new Promise<void>((resolve) => (this.#wakeReceive = resolve)));
      return DISCONNECT;
    }
    const transport = this.#transport;
    if (transport.expectsContinue && !this.#continueAsked && !this.#headWritten) {
      // RFC 9110 10.1.1: the client waits for 100 before sending the body; ask only once the app reads.
      this.#continueAsked = true;
      transport.sendContinue();
    }
    const chunk = await transport.readBody();
    if (chunk === null) {
      if (transport.clientGone || this.#disconnected) return DISCONNECT;
      this.#requestComplete = true;
      return { type: 'http.request', body: EMPTY, moreBody: false };
    }
    this.#received += chunk.length;
    const limit = this.#settings.maxBodySize;
    if (limit !== undefined && this.#received > limit) {
      this.#rejectBody();
      return DISCONNECT;
    }
    const moreBody = !transport.bodyComplete;
    if (!moreBody) this.#requestComplete = true;
    return { type: 'http.request', body: chunk, moreBody };
  };

  readonly send: Send = (event): Promise<void> => {
    try {
      const httpEvent = this.#rules.sent(event);
      switch (httpEvent.type) {
        case 'http.response.start':
          this.#start = httpEvent;
          return RESOLVED;
        case 'http.response.body':
          return this.#sendBody(httpEvent.body ?? EMPTY);
        case 'http.response.trailers':
          return this.#sendTrailers(httpEvent.headers ?? NO_HEADERS, httpEvent.moreTrailers === true);
        case 'http.response.pathsend':
          return this.#sendFile(httpEvent.path);
        case 'http.response.early_hint':
          return this.#disconnected ? RESOLVED : this.#transport.sendEarlyHints(httpEvent.links);
      }
    } catch (error) {
      return Promise.reject(error as Error);
    }
  };

  /** The rules already ran, so `phase` says whether this part ends the response. */
  #sendBody(body: Uint8Array): Promise<void> {
    if (this.#disconnected) return RESOLVED;
    const ends = this.#rules.phase === 'done';
    const firstPart = !this.#headWritten;
    if (firstPart) this.#writeHead(ends ? body.length : -1);
    const chunk = this.#bodyAllowed && body.length > 0 ? body : null;
    if (ends) {
      this.#transport.end(chunk, null);
      this.#completed();
      return RESOLVED;
    }
    if (chunk !== null) return this.#transport.write(chunk);
    if (firstPart) this.#transport.flushHead?.();
    return RESOLVED;
  }

  #sendTrailers(headers: HeaderList, moreTrailers: boolean): Promise<void> {
    if (this.#disconnected) return RESOLVED;
    this.#trailers = this.#trailers === null ? headers : [...this.#trailers, ...headers];
    if (!moreTrailers) {
      this.#transport.end(null, this.#trailers);
      this.#completed();
    }
    return RESOLVED;
  }

  async #sendFile(path: string): Promise<void> {
    if (this.#disconnected) return;
    const trailersDue = this.#rules.phase === 'trailers';
    const files = this.#settings.files;
    if (files === null) throw new Error('http.response.pathsend: this host has no file access');
    if (!this.#headWritten) {
      const size = await files.size(path);
      this.#writeHead(trailersDue ? -1 : size);
    }
    const transport = this.#transport;
    if (this.#bodyAllowed) await files.stream(path, (chunk) => transport.write(chunk), () => transport.clientGone || this.#disconnected);
    if (!trailersDue && !this.#disconnected) {
      this.#transport.end(null, null);
      this.#completed();
    }
  }

  #writeHead(bodyLength: number): void {
    const start = this.#start as HttpResponseStartEvent;
    // Let go of the app's event once its head is out: held longer, V8 pretenures its allocation site.
    this.#start = null;
    const { status } = start;
    const statusHasBody = status >= 200 && status !== 204 && status !== 304;
    this.#transport.writeHead(status, start.headers ?? NO_HEADERS, statusHasBody ? bodyLength : -1, false);
    this.#headWritten = true;
    this.#bodyAllowed = statusHasBody && this.scope.method !== 'HEAD';
    this.#settings.accessLog?.write(this.scope, status);
  }

  #respondPlain(status: number): void {
    this.#headWritten = true;
    this.#bodyAllowed = false;
    plainResponse(this.#transport, status, this.scope.method);
    this.#completed();
    this.#settings.accessLog?.write(this.scope, status);
  }

  /** The request body is over `maxBodySize`: the app sees `http.disconnect`, the client 413. */
  #rejectBody(): void {
    this.#settings.logger.info(`Request body over maxBodySize (${this.#settings.maxBodySize} bytes): "${requestLine(this.scope)}"`);
    this.#disconnected = true;
    if (this.#headWritten) this.#transport.abort();
    else this.#respondPlain(413);
    this.#wake();
  }

  #fail(error: unknown): void {
    const incomplete = error instanceof ProtocolError && error.rule === 'http.incomplete-response';
    if (this.#disconnected && incomplete) return; // the app saw the client leave and gave up: fine
    const what = incomplete ? 'Invalid response' : 'Exception in app';
    this.#settings.logger.error(`${what} while handling "${requestLine(this.scope)}"`, error);
    if (this.#disconnected || this.#transport.clientGone) return;
    if (!this.#headWritten) {
      try {
        this.#respondPlain(500);
        return;
      } catch (transportError) {
        // The transport cannot even write a plain head: cut, rather than leave the client waiting.
        this.#settings.logger.error(`Could not answer 500 to "${requestLine(this.scope)}"`, transportError);
      }
    }
    if (!this.#responseComplete) this.#transport.abort();
  }

  #completed(): void {
    this.#responseComplete = true;
    this.#wake();
  }

  #wake(): void {
    const wake = this.#wakeReceive;
    this.#wakeReceive = null;
    wake?.();
  }
}
