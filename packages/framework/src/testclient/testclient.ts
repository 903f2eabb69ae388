import {
  AsyncQueue,
  gatewayInfo,
  LifespanCycleRules,
  type Address,
  type App as GatewayApp,
  type Extensions,
  type HeaderList,
  type HttpScope,
  type LifespanSendEvent,
  type State,
  type WebSocketScope,
} from '@portico/protocol';
import { headerList, type HeadersInit } from '../exceptions';
import { encodePath } from '../datastructures';
import { CookieJar } from './cookie-jar';
import { HttpCycle } from './http-cycle';
import { multipartBody, type FormFields, type UploadFiles } from './multipart-body';
import { ResponseChannel, StreamingTestResponse } from './streaming-test-response';
import { TestResponse } from './test-response';
import { WebSocketDenied, WebSocketTestSession } from './websocket-session';

export interface TestClientOptions {
  /** Scheme and host the requests claim to go to. Default `http://testserver`. */
  baseUrl?: string;
  /** Re-throw what the app throws (default); false: get the 500 a host would send. */
  raiseServerExceptions?: boolean;
  /** The host's `rootPath` setting. */
  rootPath?: string;
  /** Headers sent with every request. */
  headers?: HeadersInit;
  /** Follow redirects to the same origin (default true). */
  followRedirects?: boolean;
  /** What the simulated host offers. Default: trailers, pathsend and early hints. */
  extensions?: Extensions;
  /** The peer address the app sees. Default `{ host: 'testclient', port: 50000 }`. */
  client?: Address;
}

export type QueryValue = string | number | boolean;

export interface TestRequestOptions {
  headers?: HeadersInit;
  /** Added to the query string of the path. */
  query?: Record<string, QueryValue | readonly QueryValue[]>;
  /** Sent as JSON with `Content-Type: application/json`. */
  json?: unknown;
  /** Form fields: sent urlencoded (`application/x-www-form-urlencoded`), or as parts of the multipart body with `files`. */
  form?: FormFields;
  /**
   * Files to upload as `multipart/form-data` (with the `form` fields): `[filename, content, contentType?]`
   * per field, or a list of them for several files under one name. The type is guessed from the filename when not given.
   */
  files?: UploadFiles;
  /** Raw body; an iterable is delivered chunk by chunk (`moreBody`). */
  body?: string | Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
  /** Extra cookies for this request only (the jar is not changed). */
  cookies?: Record<string, string>;
  /** Abort = the client leaves: the app receives `http.disconnect` and the call rejects. */
  signal?: AbortSignal;
  followRedirects?: boolean;
}

export interface WebSocketConnectOptions {
  /** Offered in `Sec-WebSocket-Protocol` (the scope's `subprotocols`), in this order. */
  subprotocols?: readonly string[];
  headers?: HeadersInit;
  query?: TestRequestOptions['query'];
  cookies?: Record<string, string>;
}

type LifespanOutput = LifespanSendEvent | { type: 'returned' } | { type: 'threw'; error: unknown };

/** The app's lifespan startup failed (`lifespan.startup.failed`) or its shutdown did. */
export class LifespanError extends Error {
  override readonly name = 'LifespanError';
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Drive an app in memory, without a socket, through the protocol: it builds scopes, runs the
 * lifespan (`start()` / `close()`), checks every event with the protocol's HttpCycleRules, keeps
 * a cookie jar and follows same-origin redirects. What the app throws is re-thrown here unless
 * `raiseServerExceptions: false`.
 *
 * @example
 * const client = new TestClient(app);
 * await client.start(); // lifespan startup
 * const response = await client.post('/notes', { json: { title: 'Milk' } });
 * expect(response.status).toBe(201);
 * await client.close();
 *
 * @example
 * await using client = new TestClient(app); // close() runs when the block ends
 */
export class TestClient implements AsyncDisposable {
  readonly app: GatewayApp;
  readonly cookies: CookieJar;
  readonly #base: globalThis.URL;
  readonly #options: TestClientOptions;
  readonly #state: State = {};
  #lifespan: { input: AsyncQueue<{ type: 'lifespan.startup' | 'lifespan.shutdown' }>; output: AsyncQueue<LifespanOutput>; rules: LifespanCycleRules } | undefined;

  constructor(app: GatewayApp, options: TestClientOptions = {}) {
    this.app = app;
    this.#options = options;
    this.#base = new globalThis.URL(options.baseUrl ?? 'http://testserver');
    this.cookies = new CookieJar(this.#base.hostname);
  }

  /** Run lifespan startup; rejects with LifespanError when the app reports a failed startup. */
  async start(): Promise<void> {
    if (this.#lifespan) return;
    const lifespan = { input: new AsyncQueue<{ type: 'lifespan.startup' | 'lifespan.shutdown' }>(), output: new AsyncQueue<LifespanOutput>(), rules: new LifespanCycleRules() };
    this.#lifespan = lifespan;
    const scope = { type: 'lifespan' as const, gateway: gatewayInfo, state: this.#state };
    this.app(scope, () => lifespan.input.shift(), async (event) => {
      lifespan.output.push(lifespan.rules.sent(event));
    }).then(
      () => lifespan.output.push({ type: 'returned' }),
      (error: unknown) => lifespan.output.push({ type: 'threw', error }),
    );
    lifespan.rules.received({ type: 'lifespan.startup' });
    lifespan.input.push({ type: 'lifespan.startup' });
    const answer = await lifespan.output.shift();
    if (answer.type === 'lifespan.startup.failed') throw new LifespanError(`lifespan startup failed: ${answer.message}`);
    // An app that returns or throws before answering does not support lifespan (a host carries on).
    if (answer.type !== 'lifespan.startup.complete') lifespan.rules.phase = 'done';
  }

  /** Run lifespan shutdown (if startup ran); rejects with LifespanError when it fails. */
  async close(): Promise<void> {
    const lifespan = this.#lifespan;
    if (!lifespan || lifespan.rules.phase !== 'running') return;
    lifespan.rules.received({ type: 'lifespan.shutdown' });
    lifespan.input.push({ type: 'lifespan.shutdown' });
    const answer = await lifespan.output.shift();
    if (answer.type === 'lifespan.shutdown.failed') throw new LifespanError(`lifespan shutdown failed: ${answer.message}`);
    if (answer.type === 'threw' && this.#options.raiseServerExceptions !== false) throw answer.error;
  }

  /** `close()`, for `await using client = new TestClient(app)`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  get(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.request('GET', path, options);
  }

  head(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.request('HEAD', path, options);
  }

  options(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.request('OPTIONS', path, options);
  }

  post(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.request('POST', path, options);
  }

  put(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.request('PUT', path, options);
  }

  patch(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.request('PATCH', path, options);
  }

  delete(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.request('DELETE', path, options);
  }

  /** Send one request; `path` may carry a query (`/notes?tag=a`) and may be a full URL. */
  async request(method: string, path: string, options: TestRequestOptions = {}): Promise<TestResponse> {
    let url = this.#resolve(path, options.query);
    let current = { method: method.toUpperCase(), options };
    for (let hops = 0; ; hops++) {
      const response = await this.#send(current.method, url, current.options);
      const location = response.headers.get('location');
      const follow = current.options.followRedirects ?? this.#options.followRedirects ?? true;
      if (!follow || !REDIRECTS.has(response.status) || location === undefined) return response;
      const next = new globalThis.URL(location, url);
      if (next.origin !== this.#base.origin) return response;
      if (hops >= 20) throw new Error(`more than 20 redirects, the last to ${next.href}`);
      url = next;
      // RFC 9110 §15.4: 303 (and, by long practice, 301/302 after POST) turns into a GET without a body.
      const toGet = response.status === 303 ? current.method !== 'HEAD' : (response.status === 301 || response.status === 302) && current.method === 'POST';
      if (toGet) {
        const { json: _json, form: _form, files: _files, body: _body, ...rest } = current.options;
        current = { method: 'GET', options: rest };
      }
    }
  }

  /**
   * Send one request and read its response as it arrives: resolves once the app started the
   * response (no redirects are followed). Each body chunk is handed to the app's `send` when the
   * test reads it; `close()` is the client leaving. For event streams and other endless bodies.
   *
   * @example
   * const events = await client.stream('GET', '/events', { headers: { 'last-event-id': '7' } });
   * const first = await events.read(); // the first chunk, as soon as the app sent it
   * events.close();
   */
  async stream(method: string, path: string, options: TestRequestOptions = {}): Promise<StreamingTestResponse> {
    const url = this.#resolve(path, options.query);
    const request = this.#httpRequest(method.toUpperCase(), url, options);
    if (request === null) throw new TypeError(`cannot stream ${url.pathname}: its percent-encoding is broken (request() answers it with a 400)`);
    const channel = new ResponseChannel();
    const cycle = new HttpCycle(request.scope, request.body, channel);
    cycle.run(this.app, this.#options.raiseServerExceptions ?? true, options.signal).then(
      (result) => channel.end({ result }),
      (error: unknown) => channel.end({ error }),
    );
    const { status, headers } = await channel.opened;
    for (const [name, value] of headers) if (name === 'set-cookie') this.cookies.store(value, url);
    return new StreamingTestResponse({ status, headers, url: url.href, channel, leave: () => cycle.leave() });
  }

  async #send(method: string, url: globalThis.URL, options: TestRequestOptions): Promise<TestResponse> {
    const request = this.#httpRequest(method, url, options);
    if (request === null) return badPath(url);
    const result = await new HttpCycle(request.scope, request.body).run(this.app, this.#options.raiseServerExceptions ?? true, options.signal);
    for (const [name, value] of result.headers) if (name === 'set-cookie') this.cookies.store(value, url);
    return new TestResponse({ ...result, url: url.href });
  }

  /** The scope and body of an HTTP request; null when the path's percent-encoding is broken. */
  #httpRequest(method: string, url: globalThis.URL, options: TestRequestOptions): { scope: HttpScope; body: AsyncIterable<Uint8Array> } | null {
    const { headers, body } = this.#requestHeadersAndBody(url, options);
    const connection = this.#connection(url, headers);
    if (connection === null) return null;
    const scope: HttpScope = {
      type: 'http',
      method,
      scheme: url.protocol === 'https:' ? 'https' : 'http',
      ...connection,
      extensions: this.#options.extensions ?? { 'http.response.trailers': {}, 'http.response.pathsend': {}, 'http.response.early_hint': {} },
    };
    return { scope, body };
  }

  /**
   * Open a WebSocket to the app: it gets `websocket.connect` and the session resolves once it
   * accepted. Rejects with WebSocketDenied (carrying the response) when it refused: a close
   * before accepting reads as 403, a denial response as itself.
   *
   * @example
   * const ws = await client.websocketConnect('/echo', { subprotocols: ['chat'] });
   * ws.sendText('hello');
   * expect(await ws.receiveText()).toBe('echo: hello');
   * await ws.close();
   */
  async websocketConnect(path: string, options: WebSocketConnectOptions = {}): Promise<WebSocketTestSession> {
    const url = this.#resolve(path, options.query);
    const subprotocols = [...(options.subprotocols ?? [])];
    const handshake: HeaderList = [['connection', 'upgrade'], ['upgrade', 'websocket'], ['sec-websocket-key', 'dGVzdGNsaWVudCBrZXkhIQ=='], ['sec-websocket-version', '13']];
    if (subprotocols.length > 0) handshake.push(['sec-websocket-protocol', subprotocols.join(', ')]);
    const { headers } = this.#requestHeadersAndBody(url, { ...(options.headers !== undefined && { headers: options.headers }), ...(options.cookies !== undefined && { cookies: options.cookies }) });
    const connection = this.#connection(url, [...headers.filter(([name]) => name !== 'accept'), ...handshake]);
    if (connection === null) throw new WebSocketDenied(badPath(url));
    const scope: WebSocketScope = {
      type: 'websocket',
      scheme: url.protocol === 'https:' ? 'wss' : 'ws',
      subprotocols,
      ...connection,
      extensions: this.#options.extensions ?? { 'websocket.http.response': {} },
    };
    return WebSocketTestSession.open(this.app, scope, url.href, this.#options.raiseServerExceptions ?? true);
  }

  /** The scope keys an HTTP request and a WebSocket share; null when the path's percent-encoding is broken. */
  #connection(url: globalThis.URL, headers: HeaderList): Omit<HttpScope, 'type' | 'method' | 'scheme' | 'extensions'> | null {
    const rawPath = url.pathname;
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      return null;
    }
    return {
      gateway: gatewayInfo,
      httpVersion: '1.1',
      path,
      rawPath,
      queryString: url.search.slice(1),
      rootPath: this.#options.rootPath ?? '',
      headers,
      client: this.#options.client ?? { host: 'testclient', port: 50000 },
      server: { host: url.hostname, port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80) },
      state: { ...this.#state },
    };
  }

  #requestHeadersAndBody(url: globalThis.URL, options: TestRequestOptions): { headers: HeaderList; body: AsyncIterable<Uint8Array> } {
    let body: TestRequestOptions['body'];
    let contentType: string | undefined;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      contentType = 'application/json';
    } else if (options.files !== undefined) {
      ({ body, contentType } = multipartBody(options.form, options.files));
    } else if (options.form !== undefined) {
      body = new URLSearchParams(Object.entries(options.form).flatMap(([key, values]) => (typeof values === 'string' ? [[key, values] as [string, string]] : values.map((value): [string, string] => [key, value])))).toString();
      contentType = 'application/x-www-form-urlencoded';
    } else body = options.body;
    const single = typeof body === 'string' ? Buffer.from(body) : body instanceof Uint8Array ? body : undefined;
    const chunks = typeof body === 'string' ? undefined : body;

    const defaults: HeaderList = [['host', url.host], ['user-agent', 'testclient'], ['accept', '*/*']];
    if (contentType) defaults.push(['content-type', contentType]);
    if (single) defaults.push(['content-length', String(single.length)]);
    const cookies = [this.cookies.headerFor(url), ...Object.entries(options.cookies ?? {}).map(([name, value]) => `${name}=${encodeURIComponent(value)}`)].filter(Boolean);
    if (cookies.length > 0) defaults.push(['cookie', cookies.join('; ')]);
    const given = [...headerList(this.#options.headers), ...headerList(options.headers)];
    const overridden = new Set(given.map(([name]) => name));
    const headers = [...defaults.filter(([name]) => !overridden.has(name)), ...given];
    return { headers, body: chunksOf(single ?? chunks) };
  }

  #resolve(path: string, query: TestRequestOptions['query']): globalThis.URL {
    // Keep the path as written (percent-escapes included); encode only what may not stand in a URL.
    const absolute = /^https?:\/\//i.test(path);
    const url = absolute ? new globalThis.URL(path) : new globalThis.URL(this.#base.origin);
    if (!absolute) {
      const [target = '/', search] = splitOnce(path.split('#')[0]!, '?');
      url.pathname = encodePath(target.startsWith('/') ? target : `/${target}`).replace(/%25([0-9A-Fa-f]{2})/g, '%$1');
      url.search = search ?? '';
    }
    for (const [key, value] of Object.entries(query ?? {})) {
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
    }
    return url;
  }
}

function badPath(url: globalThis.URL): TestResponse {
  return new TestResponse({ status: 400, headers: [], body: Buffer.from('Bad Request: invalid percent-encoding in the path'), trailers: [], earlyHints: [], url: url.href });
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const index = text.indexOf(separator);
  return index === -1 ? [text, undefined] : [text.slice(0, index), text.slice(index + 1)];
}

async function* chunksOf(body: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array> | undefined): AsyncGenerator<Uint8Array> {
  if (body === undefined) return;
  if (body instanceof Uint8Array) {
    if (body.length > 0) yield body;
    return;
  }
  for await (const chunk of body) yield chunk;
}
