import type { Extensions } from '@portico/protocol';

/** What Node's HTTP/1.1 and HTTP/2 transports implement, shared by every scope they serve. */
export const NODE_HTTP_EXTENSIONS: Extensions = Object.freeze({
  'http.response.trailers': Object.freeze({}),
  'http.response.pathsend': Object.freeze({}),
  'http.response.early_hint': Object.freeze({}),
});

/** CGI, FastCGI and fetch: a file can be streamed, but trailers and 1xx responses cannot cross. */
export const PATHSEND_ONLY: Extensions = Object.freeze({ 'http.response.pathsend': Object.freeze({}) });

/** Neither trailers, 1xx nor files: a fetch handler without file access. */
export const NO_EXTENSIONS: Extensions = Object.freeze({});

/** What WebSocket scopes offer: the denial response. */
export const WEBSOCKET_EXTENSIONS: Extensions = Object.freeze({ 'websocket.http.response': Object.freeze({}) });
