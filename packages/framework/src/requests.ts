import type { HttpReceive, HttpReceiveEvent } from '@portico/protocol';
import { BodyTooLargeError, checkBodyLimit, decodeBody, DEFAULT_BODY_LIMIT } from './body-limit';
import { HTTPConnection, type ConnectionScope } from './connection';
import type { FormData } from './datastructures';
import { ClientDisconnect, HTTPException } from './exceptions';
import { parseMultipart, parseUrlencoded, type FormOptions } from './formparsers';
import type { PathParamsRecord } from './routing/path-pattern';

/** The body was asked for in a way that cannot work (read twice as a stream, after it was passed on). */
export class RequestBodyError extends Error {
  override readonly name = 'RequestBodyError';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder();

/** Options of the reads that hold the whole body in memory: `body()`, `text()`, `json()`. */
export interface BodyReadOptions {
  /**
   * Most bytes to accept; a larger body is a 413 (BodyTooLargeError) and is not read further.
   * Default: the App's `bodyLimit`, else 1 MiB. `Infinity`: no limit.
   */
  limit?: number | undefined;
}

const DISCONNECT: HttpReceiveEvent = Object.freeze({ type: 'http.disconnect' });

const nothingToReceive: HttpReceive = () => Promise.reject(new RequestBodyError('this Request was built without a receive channel, so it has no body'));

/**
 * An HTTP request: the connection data (URL, headers, query, path parameters, cookies, client,
 * state) and the body, read once from the protocol. `body()` caches, so `text()`, `json()` and
 * `form()` can follow each other; `stream()` reads without caching, so a second read is an error.
 *
 * @example
 * app.post('/notes/:id<int>', async (request) => {
 *   const patch = await request.json(); // invalid JSON: 400 with a clear detail
 *   return new JSONResponse({ id: request.pathParams.id, ...patch });
 * });
 */
export class Request<Params extends object = PathParamsRecord> extends HTTPConnection<Params> {
  readonly #receive: HttpReceive;
  /**
   * Body events read ahead (by isDisconnected() or the response's disconnect watch), delivered to
   * the body readers before new ones. The watch reads one ahead at most, so back-pressure holds.
   */
  #buffered: HttpReceiveEvent[] | undefined;
  /** The host `receive()` in flight: one at a time, its event goes to `#buffered`. */
  #filling: Promise<void> | undefined;
  /** Wakes the disconnect watch when a body reader took the event it read ahead. */
  #taken: (() => void) | undefined;
  #streamed = false;
  /** The response's disconnect watch drained a body nobody read. */
  #drained = false;
  /** A buffered read stopped at its limit: the rest of the body is nobody's. */
  #abandoned = false;
  #body: Promise<Uint8Array> | undefined;
  #disconnected = false;
  #responseReceive: HttpReceive | undefined;
  #json: unknown;
  #form: Promise<FormData> | undefined;

  constructor(scope: ConnectionScope, receive: HttpReceive = nothingToReceive) {
    super(scope);
    if (scope.type !== 'http') throw new TypeError(`a Request needs an http scope, got '${scope.type}'`);
    this.#receive = receive;
  }

  /** Upper case, as sent. */
  get method(): string {
    return (this.scope as { method: string }).method;
  }

  /**
   * The body as it arrives, chunk by chunk, without keeping it. After `body()` it yields the
   * cached body; a second `stream()` is a RequestBodyError. Throws ClientDisconnect if the
   * client leaves midway.
   */
  async *stream(): AsyncGenerator<Uint8Array, void, undefined> {
    if (this.#body !== undefined) {
      yield await this.#body;
      return;
    }
    if (this.#streamed) throw this.#consumedError('already streamed; call request.body() first if you need it more than once');
    this.#streamed = true;
    yield* this.#chunks();
  }

  /**
   * The whole body, read once and cached. Larger than `limit` (default: the App's `bodyLimit`,
   * else 1 MiB): a 413 BodyTooLargeError, thrown as soon as the limit is crossed, without reading on.
   *
   * @example
   * const bytes = await request.body({ limit: 10 * 1024 * 1024 });
   */
  body(options?: BodyReadOptions): Promise<Uint8Array> {
    let limit: number;
    try {
      limit = this.#limit(options);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    if (this.#body === undefined) {
      if (this.#streamed) return Promise.reject(this.#consumedError('already consumed by stream(), so body() cannot read it'));
      this.#streamed = true;
      this.#body = this.#collect(limit);
      return this.#body;
    }
    // Read already: a smaller limit than the first read's still refuses it.
    return this.#body.then((body) => {
      if (body.length > limit) throw new BodyTooLargeError(limit);
      return body;
    });
  }

  /** The body decoded as UTF-8 (invalid bytes become U+FFFD); limited as `body()`. */
  async text(options?: BodyReadOptions): Promise<string> {
    const body = await this.body(options);
    return decodeBody(lenientUtf8, body, this.#limit(options));
  }

  /**
   * The body parsed as JSON; limited as `body()`. Empty, non-UTF-8 or invalid JSON:
   * HTTPException(400) saying which.
   *
   * @example
   * const note = await request.json({ limit: 16 * 1024 });
   */
  async json(options?: BodyReadOptions): Promise<unknown> {
    const body = await this.body(options);
    if (this.#json !== undefined) return this.#json;
    if (body.length === 0) throw new HTTPException(400, 'The request body is empty; expected JSON.');
    const text = decodeBody(utf8, body, this.#limit(options), () => {
      throw new HTTPException(400, 'The request body is not valid UTF-8; expected JSON.');
    });
    try {
      this.#json = JSON.parse(text) as unknown;
    } catch (error) {
      throw new HTTPException(400, `The request body is not valid JSON: ${(error as Error).message}`);
    }
    return this.#json;
  }

  /**
   * The body as a form: `application/x-www-form-urlencoded`, or `multipart/form-data` streamed
   * through busboy with files as UploadFile objects (in memory while small, then in a temp file).
   * Another type is HTTPException(415); a malformed form or too many files or fields a 400; a field
   * or file over its size limit a 413. Cached: the options of the first call apply. Uploaded files
   * are removed when the request ends (`close()`; a route does it after its response is sent).
   * One exception: a handler that is not async and returns its response before anything called
   * `form()` is answered without that wait, so a form first read while the response streams is
   * the app's to close.
   *
   * @example
   * const form = await request.form({ maxFiles: 1, maxFileSize: 10 * 1024 * 1024 });
   * const photo = form.get('photo'); // UploadFile | string | undefined
   */
  form(options: FormOptions = {}): Promise<FormData> {
    return (this.#form ??= this.#parseForm(options));
  }

  /** True once `form()` was called: then `close()` has uploaded files to release. */
  get formRequested(): boolean {
    return this.#form !== undefined;
  }

  /** Release what the request holds: the uploaded files of its form (a form that failed cleaned up already). */
  close(): Promise<void> {
    return this.#form === undefined ? Promise.resolve() : this.#form.then((form) => form.close(), () => undefined);
  }

  async #parseForm(options: FormOptions): Promise<FormData> {
    const contentType = this.headers.get('content-type') ?? '';
    const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
    if (mediaType === 'multipart/form-data') return parseMultipart(contentType, this.stream(), options);
    if (mediaType !== 'application/x-www-form-urlencoded') {
      throw new HTTPException(415, `Expected a form (application/x-www-form-urlencoded or multipart/form-data), got ${mediaType || 'no Content-Type'}.`);
    }
    return parseUrlencoded(await this.text({ limit: options.limit }), options);
  }

  /**
   * True once the client has gone. Looks at what the host has already delivered without
   * waiting; body events read ahead are kept for the body readers.
   */
  async isDisconnected(): Promise<boolean> {
    if (this.#disconnected) return true;
    await Promise.race([this.#fill(), new Promise<void>((resolve) => setImmediate(resolve))]);
    return this.#disconnected;
  }

  /**
   * The receive channel a route hands to this request's response: it yields only what comes after
   * the request body (`http.disconnect`, when the client leaves or the response is complete) and
   * leaves every body event to the body readers. So a StreamingResponse watching for the client to
   * leave does not starve a handler that streams the request body back (`request.stream()`
   * inside the response's iterable). A body nothing has started reading by the time the watch
   * meets it is drained, as Starlette does; reading it afterwards is a RequestBodyError.
   */
  get responseReceive(): HttpReceive {
    return (this.#responseReceive ??= () => this.#afterBody());
  }

  /**
   * A receive channel for an inner app: it replays the body this request has read (from
   * `body()`), then passes on what the host sends. Middleware hands it on after reading the body.
   */
  get receive(): HttpReceive {
    if (this.#streamed && this.#body === undefined) {
      return () => Promise.reject(new RequestBodyError('the request body was consumed by stream() before it was passed on; read it with body() to pass it on'));
    }
    let replayed = this.#body === undefined;
    return async () => {
      if (!replayed) {
        replayed = true;
        return { type: 'http.request', body: await this.#body!, moreBody: false };
      }
      return this.#next();
    };
  }

  /** The limit of one buffered read: the call's, the App's, or the default; read only by body readers. */
  #limit(options: BodyReadOptions | undefined): number {
    const given = options?.limit;
    if (given !== undefined) return checkBodyLimit(given, 'the limit option of a body read');
    return this.scope.app?.bodyLimit ?? DEFAULT_BODY_LIMIT;
  }

  async #collect(limit: number): Promise<Uint8Array> {
    const declared = this.headers.get('content-length');
    if (declared !== undefined && Number(declared) > limit) {
      this.#abandoned = true;
      throw new BodyTooLargeError(limit);
    }
    const parts: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of this.#chunks()) {
      size += chunk.length;
      if (size > limit) {
        this.#abandoned = true;
        throw new BodyTooLargeError(limit); // leaving the loop ends #chunks(): nothing more is read
      }
      parts.push(chunk);
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  async *#chunks(): AsyncGenerator<Uint8Array, void, undefined> {
    for (;;) {
      const event = await this.#next();
      if (event.type === 'http.disconnect') throw new ClientDisconnect('the client disconnected while its request body was being read');
      if (event.body.length > 0) yield event.body;
      if (!event.moreBody) return;
    }
  }

  #consumedError(what: string): RequestBodyError {
    if (!this.#drained) return new RequestBodyError(`the request body was ${what}`);
    return new RequestBodyError(
      'the request body was drained: the response started streaming before anything read it; read it in the handler, or before the iterable awaits anything else',
    );
  }

  /** The next event for a body reader: one read ahead, else a new one from the host. */
  async #next(): Promise<HttpReceiveEvent> {
    for (;;) {
      const buffered = this.#buffered?.shift();
      if (buffered !== undefined) {
        this.#wakeWatch();
        return buffered;
      }
      if (this.#disconnected) return DISCONNECT;
      await this.#fill();
    }
  }

  async #afterBody(): Promise<HttpReceiveEvent> {
    for (;;) {
      if (this.#disconnected) return DISCONNECT;
      if (this.#buffered === undefined || this.#buffered.length === 0) {
        await this.#fill(); // past the body, the host answers only when the client leaves
      } else if (!this.#streamed || this.#drained || this.#abandoned) {
        // Nobody reads this body: drain it, so that the watch sees the client leave.
        this.#buffered = undefined;
        this.#streamed = true;
        this.#drained = true;
      } else {
        await new Promise<void>((resolve) => (this.#taken = resolve));
      }
    }
  }

  /** One host `receive()` at a time; its event goes to the readers' buffer (a disconnect only sets the flag). */
  #fill(): Promise<void> {
    return (this.#filling ??= this.#receive().then(
      (event) => {
        this.#filling = undefined;
        if (event.type === 'http.disconnect') this.#disconnected = true;
        else (this.#buffered ??= []).push(event);
        this.#wakeWatch();
      },
      (error: unknown) => {
        this.#filling = undefined;
        throw error;
      },
    ));
  }

  #wakeWatch(): void {
    const taken = this.#taken;
    this.#taken = undefined;
    taken?.();
  }
}
