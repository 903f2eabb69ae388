import type { App, HeaderList } from '../types';

/** One request as the conformance suite sends it through a host's transport. */
export interface ConformanceRequest {
  method: string;
  /** The request target as sent on the wire: path and optional `?query`, percent-encoded. */
  target: string;
  headers?: HeaderList;
  /** The body, sent in these chunks (chunked transfer coding where the transport has one). */
  body?: Uint8Array[];
  /** When it fires, the client tears the connection down (the "client leaves" case). */
  signal?: AbortSignal;
}

export interface ConformanceResponse {
  status: number;
  /** Names lower-cased, order and repeats as received. */
  headers: HeaderList;
  body: Uint8Array;
  trailers: HeaderList;
}

/** A WebSocket opening handshake as the suite sends it. */
export interface ConformanceWebSocketRequest {
  /** Path and optional `?query`, percent-encoded. */
  target: string;
  /** Offered in `Sec-WebSocket-Protocol`, in this order. */
  subprotocols?: string[];
  headers?: HeaderList;
}

/** A message or the close, as the suite's client sees them. */
export type ConformanceWebSocketEvent =
  | { type: 'text'; text: string }
  | { type: 'bytes'; bytes: Uint8Array }
  /** The connection closed: the code and reason of the close frame (1005 without a code, 1006 when it dropped). */
  | { type: 'close'; code: number; reason: string };

/** An open WebSocket connection from the suite's client. */
export interface ConformanceWebSocket {
  /** The subprotocol the host confirmed, or null. */
  readonly subprotocol: string | null;
  /** Headers of the handshake response (names lower case). */
  readonly headers: HeaderList;
  send(message: string | Uint8Array): Promise<void>;
  /** The next message, or the close once the connection closed (and again on every later call). */
  receive(): Promise<ConformanceWebSocketEvent>;
  /** Start the close handshake (`code` omitted: a close frame without a code). */
  close(code?: number, reason?: string): void;
  /** Drop the connection without a close handshake (the "client vanishes" case). */
  drop(): void;
}

/** How a handshake ended: an open connection, or the HTTP response that refused it. */
export type ConformanceWebSocketOutcome = { accepted: true; socket: ConformanceWebSocket } | { accepted: false; response: ConformanceResponse };

/** A host serving one app, as the suite drives it. */
export interface RunningHost {
  /**
   * Send a request and resolve with the complete response. A response cut off after its head
   * rejects with `IncompleteResponseError` (holding what arrived), or, for hosts declaring
   * `cutResponse: 'error'`, with any error.
   */
  request(request: ConformanceRequest): Promise<ConformanceResponse>;
  /** Open a WebSocket (hosts declaring `websocket: true`). */
  websocket?(request: ConformanceWebSocketRequest): Promise<ConformanceWebSocketOutcome>;
  /** Stop serving: lifespan shutdown runs, then resources are released. */
  close(): Promise<void>;
}

export interface HostStartOptions {
  /** The host's `rootPath` setting (a proxy in front already removed the prefix). */
  rootPath?: string;
}

/**
 * Start the host under test serving `app`. Lifespan startup must have completed when the
 * promise resolves, and a failed startup must reject it with the app's message.
 */
export type StartHost = (app: App, options: HostStartOptions) => Promise<RunningHost>;

/** What a transport can carry; the suite checks the host does all it claims, and no more. */
export interface HostCapabilities {
  /**
   * `exact`: request headers reach the app in order, repeats kept. `cgi`: the transport passes
   * headers as CGI variables, so repeats arrive joined with ", " and order is not kept.
   */
  requestHeaders?: 'exact' | 'cgi';
  /**
   * `exact`: response headers reach the client in order, repeats kept. `joined`: the response is a
   * fetch `Headers`, which joins a repeated field's values with ", " (the fetch handler).
   */
  responseHeaders?: 'exact' | 'joined';
  /** The transport tells the app when the client leaves (CGI cannot). Default true. */
  disconnect?: boolean;
  /** The host knows the peer addresses (`scope.client`/`scope.server`). Default true. */
  addresses?: boolean;
  /** The host lists and implements `http.response.trailers`, and the client can see them. */
  trailers?: boolean;
  /** The host lists and implements `http.response.pathsend`. */
  pathsend?: boolean;
  /** The host lists `http.response.early_hint`. */
  earlyHints?: boolean;
  /**
   * What the client gets of a response the app broke off after starting it. `partial` (default):
   * the head and every body byte the app sent, then a cut it can tell from an end (`request` rejects
   * with `IncompleteResponseError`). `partial-with-length`: the same when the response declared a
   * Content-Length; without one the web server ends it as if it were whole (lighttpd ignores a CGI
   * script's exit status). `error`: only an error, without the bytes that came before it (the
   * TestClient's `ResponseCutError` carries no response).
   */
  cutResponse?: 'partial' | 'partial-with-length' | 'error';
  /** The host serves WebSocket scopes (with the denial extension) and `RunningHost.websocket` opens them. */
  websocket?: boolean;
}
