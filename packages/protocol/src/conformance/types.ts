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

/** A host serving one app, as the suite drives it. */
export interface RunningHost {
  request(request: ConformanceRequest): Promise<ConformanceResponse>;
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
}
