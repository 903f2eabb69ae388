import type { HeaderList, HttpScope, Receive, Scope, Send, WebSocketScope } from '@portico/protocol';
import { describeValue, isOptionsObject } from '../arguments';
import { runBackground, type Background } from '../background';
import { setCookieHeader, type CookieOptions } from '../cookies';
import { Headers, MutableHeaders } from '../datastructures';
import { headerList, type HeadersInit } from '../exceptions';
import { ProtocolApp } from '../protocol-app';

/**
 * The options every response takes. Each also accepts `undefined` (meaning "the default"), so
 * an optional value can be passed on as it is under `exactOptionalPropertyTypes`.
 */
export interface ResponseInit {
  /** Default 200. */
  status?: number | undefined;
  headers?: HeadersInit | undefined;
  /** The Content-Type; `text/*` types get `; charset=utf-8`. Each subclass has a default. */
  mediaType?: string | undefined;
  /** Work to run after the body is sent: a BackgroundTask, BackgroundTasks, or a function. */
  background?: Background | undefined;
}

export type ResponseContent = string | Uint8Array | null | undefined;

const EMPTY = new Uint8Array(0);

/**
 * An HTTP response, and itself a protocol app: `await response(scope, receive, send)` sends it,
 * so middleware can answer early with one. Content-Length is computed and Content-Type gets a
 * charset; headers stay editable (`response.headers.set(...)`) until it is sent.
 *
 * @example
 * return new Response('<svg/>', { status: 201, mediaType: 'image/svg+xml', headers: { 'cache-control': 'no-store' } });
 */
export class Response extends ProtocolApp {
  /** The media type subclasses send when `mediaType` is not given. */
  static defaultMediaType: string | undefined = undefined;

  status: number;
  readonly headers: MutableHeaders;
  readonly mediaType: string | undefined;
  background: Background | undefined;
  /** The rendered body (empty for streaming and file responses, which send theirs as they go). */
  readonly body: Uint8Array;

  constructor(content?: unknown, init: ResponseInit = {}) {
    super();
    checkInit(init, new.target.name);
    this.status = init.status ?? 200;
    this.mediaType = init.mediaType ?? new.target.defaultMediaType;
    this.background = init.background;
    this.body = this.render(content);
    this.headers = new MutableHeaders(this.initHeaders(headerList(init.headers)));
  }

  /** Turn the content into bytes; subclasses with other content types override it. */
  protected render(content: unknown): Uint8Array {
    if (content === null || content === undefined) return EMPTY;
    if (typeof content === 'string') return Buffer.from(content);
    if (content instanceof Uint8Array) return content;
    throw new TypeError(`${this.constructor.name} content must be a string, a Uint8Array or nothing, got ${describeValue(content)}; use JSONResponse for other values`);
  }

  /**
   * The header list to send: the given headers, with Content-Length and Content-Type added when
   * they lack them (as Starlette's `init_headers`).
   */
  protected initHeaders(given: HeaderList, contentLength: number | null = this.body.length): HeaderList {
    const status = this.status;
    const length = contentLength === null || status < 200 || status === 204 || status === 304 ? undefined : String(contentLength);
    const type = this.mediaType === undefined ? undefined : contentType(this.mediaType);
    // Most responses come without headers of their own: then the list is built at its final size.
    if (given.length === 0) {
      if (length === undefined) return type === undefined ? [] : [['content-type', type]];
      return type === undefined ? [['content-length', length]] : [['content-length', length], ['content-type', type]];
    }
    const headers = new Headers(given);
    if (length !== undefined && !headers.has('content-length')) given.push(['content-length', length]);
    if (type !== undefined && !headers.has('content-type')) given.push(['content-type', type]);
    return given;
  }

  /**
   * Add a `Set-Cookie` header. The value is percent-encoded, so it cannot break the header.
   *
   * @example
   * response.setCookie('theme', 'dark', { maxAge: 3600, httpOnly: true, sameSite: 'strict' });
   */
  setCookie(name: string, value: string, options?: CookieOptions): this {
    this.headers.append('set-cookie', setCookieHeader(name, value, options));
    return this;
  }

  /** Tell the client to drop a cookie (same `path` and `domain` as when it was set). */
  deleteCookie(name: string, options: Pick<CookieOptions, 'path' | 'domain' | 'secure' | 'httpOnly' | 'sameSite'> = {}): this {
    return this.setCookie(name, '', { ...options, maxAge: 0, expires: new Date(0) });
  }

  // Not async: without background work the response's own promise is returned as it is.
  handle(scope: Scope, receive: Receive, send: Send): Promise<void> {
    if (scope.type === 'lifespan') return Promise.reject(new TypeError(`a ${this.constructor.name} cannot answer a lifespan scope`));
    const sent = this.sendResponse(scope, receive, send);
    const background = this.background;
    return background === undefined ? sent : sent.then(() => runBackground(background));
  }

  /** Send start and body; a websocket scope gets the denial-response events of the same shape. */
  protected async sendResponse(scope: HttpScope | WebSocketScope, _receive: Receive, send: Send): Promise<void> {
    // Constant type strings: a host compares them by identity before it compares characters.
    const http = scope.type === 'http';
    await send({ type: (http ? 'http.response.start' : 'websocket.http.response.start') as 'http.response.start', status: this.status, headers: this.headers.raw });
    await send({ type: (http ? 'http.response.body' : 'websocket.http.response.body') as 'http.response.body', body: isHead(scope) ? EMPTY : this.body });
  }
}

/**
 * Check the init of a response. Responses are built per request, so this is a few typeof tests
 * and no allocation; unknown keys are not looked for (subclasses pass their own on).
 */
export function checkInit(init: ResponseInit, name: string): void {
  if (!isOptionsObject(init)) {
    const hint = typeof init === 'number' ? ` (write { status: ${init} })` : '';
    throw new TypeError(`new ${name}(content, init) takes an init object { status, headers, mediaType, background }, got ${describeValue(init)}${hint}`);
  }
  const { status, mediaType, background } = init;
  if (status !== undefined && !(typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599)) {
    throw new TypeError(`new ${name}(content, { status }) takes an HTTP status code (an integer from 100 to 599), got ${describeValue(status)}`);
  }
  if (mediaType !== undefined && typeof mediaType !== 'string') throw new TypeError(`new ${name}(content, { mediaType }) takes a string such as 'text/csv', got ${describeValue(mediaType)}`);
  if (background !== undefined && typeof background !== 'function' && typeof (background as Partial<Record<'run', unknown>> | null)?.run !== 'function') {
    throw new TypeError(`new ${name}(content, { background }) takes a BackgroundTask, BackgroundTasks or a function, got ${describeValue(background)}`);
  }
}

/** The Content-Type of each media type seen, built once: `text/*` gets `; charset=utf-8`. */
const contentTypes = new Map<string, string>();

function contentType(mediaType: string): string {
  let value = contentTypes.get(mediaType);
  if (value === undefined) {
    const withCharset = mediaType.startsWith('text/') && !mediaType.toLowerCase().includes('charset=');
    value = withCharset ? `${mediaType}; charset=utf-8` : mediaType;
    // Bounded: an app computing media types per request must not grow this without end.
    if (contentTypes.size < 256) contentTypes.set(mediaType, value);
  }
  return value;
}

/** A HEAD request gets the headers of GET and no body. */
export function isHead(scope: HttpScope | WebSocketScope): boolean {
  return scope.type === 'http' && scope.method === 'HEAD';
}
