/**
 * The Portico Gateway Interface as TypeScript types. SPEC.md is the prose; these are the shapes.
 * Event `type` strings are ASGI's; keys are camelCase; bytes are `Uint8Array` (a Buffer is one).
 */

/** Protocol version this package implements. */
export const GATEWAY_VERSION = '1.0';
/** Version of the spec text (SPEC.md) the types follow. */
export const SPEC_VERSION = '1.0';

export interface GatewayInfo {
  version: typeof GATEWAY_VERSION;
  specVersion: string;
}

/** `[name, value]` pairs: names lower case, values latin1 strings; order and repeats are kept. */
export type HeaderList = Array<[name: string, value: string]>;

/** A network peer; `port` is 0 for a Unix socket. */
export interface Address {
  host: string;
  port: number;
}

/** What a lifespan startup stored; every request scope gets a shallow copy of it. */
export type State = Record<string, unknown>;

/** Extensions a host supports; an app checks `'http.response.trailers' in scope.extensions`. */
export interface Extensions {
  'http.response.trailers'?: Record<string, never>;
  'http.response.pathsend'?: Record<string, never>;
  'http.response.early_hint'?: Record<string, never>;
  'websocket.http.response'?: Record<string, never>;
  tls?: { clientCertName?: string | null };
}
export type ExtensionName = keyof Extensions;

interface ConnectionScopeBase {
  gateway: GatewayInfo;
  httpVersion: '1.0' | '1.1' | '2';
  /** Percent-decoded path, never including `rootPath`. */
  path: string;
  /** The path as the client sent it (still percent-encoded), without the query string. */
  rawPath: string;
  /** Raw query string, undecoded, without the leading `?`. */
  queryString: string;
  /** The mount prefix: `rootPath + path` is the path the client asked for. */
  rootPath: string;
  headers: HeaderList;
  client: Address | null;
  server: Address | null;
  state: State;
  extensions: Extensions;
}

export interface HttpScope extends ConnectionScopeBase {
  type: 'http';
  /** Upper case, as sent. */
  method: string;
  scheme: 'http' | 'https';
}

export interface WebSocketScope extends ConnectionScopeBase {
  type: 'websocket';
  scheme: 'ws' | 'wss';
  /** From `Sec-WebSocket-Protocol`, in the client's order. */
  subprotocols: string[];
}

export interface LifespanScope {
  type: 'lifespan';
  gateway: GatewayInfo;
  /** Startup writes here; requests see shallow copies. */
  state: State;
}

export type Scope = HttpScope | WebSocketScope | LifespanScope;

// ---- HTTP events ---------------------------------------------------------------------------

export interface HttpRequestEvent {
  type: 'http.request';
  body: Uint8Array;
  /** True while more `http.request` events will follow. */
  moreBody: boolean;
}
export interface HttpDisconnectEvent {
  type: 'http.disconnect';
}
export type HttpReceiveEvent = HttpRequestEvent | HttpDisconnectEvent;

export interface HttpResponseStartEvent {
  type: 'http.response.start';
  status: number;
  headers?: HeaderList;
  /** Announce `http.response.trailers` after the body (needs the trailers extension). */
  trailers?: boolean;
}
export interface HttpResponseBodyEvent {
  type: 'http.response.body';
  body?: Uint8Array;
  moreBody?: boolean;
}
export interface HttpResponseTrailersEvent {
  type: 'http.response.trailers';
  headers?: HeaderList;
  moreTrailers?: boolean;
}
/** Send a file by path instead of bytes (the host streams it). Ends the body. */
export interface HttpResponsePathsendEvent {
  type: 'http.response.pathsend';
  path: string;
}
/** A 103 Early Hints response with `Link` values, before `http.response.start`. */
export interface HttpResponseEarlyHintEvent {
  type: 'http.response.early_hint';
  links: string[];
}
export type HttpSendEvent =
  | HttpResponseStartEvent
  | HttpResponseBodyEvent
  | HttpResponseTrailersEvent
  | HttpResponsePathsendEvent
  | HttpResponseEarlyHintEvent;

// ---- WebSocket events ----------------------------------------------------------------------

export interface WebSocketConnectEvent {
  type: 'websocket.connect';
}
/** Exactly one of `text` and `bytes` is set. */
export type WebSocketReceiveEvent =
  | { type: 'websocket.receive'; text: string; bytes?: undefined }
  | { type: 'websocket.receive'; bytes: Uint8Array; text?: undefined };
export interface WebSocketDisconnectEvent {
  type: 'websocket.disconnect';
  /** The peer's close code; 1005 when it sent none, 1006 when the connection dropped. */
  code: number;
  reason: string;
}
export type WebSocketServerEvent = WebSocketConnectEvent | WebSocketReceiveEvent | WebSocketDisconnectEvent;

export interface WebSocketAcceptEvent {
  type: 'websocket.accept';
  subprotocol?: string | null;
  headers?: HeaderList;
}
/** Exactly one of `text` and `bytes` is set. */
export type WebSocketSendMessageEvent =
  | { type: 'websocket.send'; text: string; bytes?: undefined }
  | { type: 'websocket.send'; bytes: Uint8Array; text?: undefined };
export interface WebSocketCloseEvent {
  type: 'websocket.close';
  code?: number;
  reason?: string;
}
/** Denial extension: answer the upgrade request with an HTTP response instead of accepting. */
export interface WebSocketHttpResponseStartEvent {
  type: 'websocket.http.response.start';
  status: number;
  headers?: HeaderList;
}
export interface WebSocketHttpResponseBodyEvent {
  type: 'websocket.http.response.body';
  body?: Uint8Array;
  moreBody?: boolean;
}
export type WebSocketSendEvent =
  | WebSocketAcceptEvent
  | WebSocketSendMessageEvent
  | WebSocketCloseEvent
  | WebSocketHttpResponseStartEvent
  | WebSocketHttpResponseBodyEvent;

// ---- Lifespan events -----------------------------------------------------------------------

export interface LifespanStartupEvent {
  type: 'lifespan.startup';
}
export interface LifespanShutdownEvent {
  type: 'lifespan.shutdown';
}
export type LifespanReceiveEvent = LifespanStartupEvent | LifespanShutdownEvent;

export type LifespanSendEvent =
  | { type: 'lifespan.startup.complete' }
  | { type: 'lifespan.startup.failed'; message: string }
  | { type: 'lifespan.shutdown.complete' }
  | { type: 'lifespan.shutdown.failed'; message: string };

// ---- The application -----------------------------------------------------------------------

export type ReceiveEvent = HttpReceiveEvent | WebSocketServerEvent | LifespanReceiveEvent;
export type SendEvent = HttpSendEvent | WebSocketSendEvent | LifespanSendEvent;

export type Receive = () => Promise<ReceiveEvent>;
export type Send = (event: SendEvent) => Promise<void>;

/** A Portico application: called once per connection scope by a host. */
export type App = (scope: Scope, receive: Receive, send: Send) => Promise<void>;

export type HttpReceive = () => Promise<HttpReceiveEvent>;
export type HttpSend = (event: HttpSendEvent) => Promise<void>;
export type WebSocketReceive = () => Promise<WebSocketServerEvent>;
export type WebSocketSend = (event: WebSocketSendEvent) => Promise<void>;
export type LifespanReceive = () => Promise<LifespanReceiveEvent>;
export type LifespanSend = (event: LifespanSendEvent) => Promise<void>;

/** A scope with its channels, by scope type: what `channels(scope, receive, send)` returns. */
export interface ScopeChannels {
  http: { type: 'http'; scope: HttpScope; receive: HttpReceive; send: HttpSend };
  websocket: { type: 'websocket'; scope: WebSocketScope; receive: WebSocketReceive; send: WebSocketSend };
  lifespan: { type: 'lifespan'; scope: LifespanScope; receive: LifespanReceive; send: LifespanSend };
}
/** One of the three, discriminated on `type`: testing `type` narrows the scope and both channels. */
export type Channels = ScopeChannels[Scope['type']];
