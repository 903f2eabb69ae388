/**
 * zod schemas for every scope and event: the same shapes as types.ts (a type test proves they
 * agree). They run only inside the guard and in tests, never on a host's hot path.
 */
import { z } from 'zod';

const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, {
  message: 'expected a Uint8Array (a Buffer is one)',
});

/** RFC 9110 token characters, lower case only: the protocol lower-cases header names. */
const headerName = z.string().regex(/^[!#$%&'*+\-.^_`|~0-9a-z]+$/, {
  message: 'header names must be lower-case RFC 9110 tokens',
});
/** Latin1 field values; CR, LF and NUL would split or corrupt the header block. */
const headerValue = z.string().regex(/^[\t\x20-\x7e\x80-\xff]*$/, {
  message: 'header values must be latin1 without CR, LF or NUL',
});
export const HeaderListSchema = z.array(z.tuple([headerName, headerValue]));

export const AddressSchema = z.object({ host: z.string(), port: z.number().int().min(0).max(65535) });
export const GatewayInfoSchema = z.object({ version: z.literal('1.0'), specVersion: z.string() });
export const StateSchema = z.record(z.string(), z.unknown());

const extension = z.record(z.string(), z.never());
export const ExtensionsSchema = z.object({
  'http.response.trailers': extension.exactOptional(),
  'http.response.pathsend': extension.exactOptional(),
  'http.response.early_hint': extension.exactOptional(),
  'websocket.http.response': extension.exactOptional(),
  tls: z.object({ clientCertName: z.string().nullable().exactOptional() }).exactOptional(),
});

const connectionScope = {
  gateway: GatewayInfoSchema,
  httpVersion: z.enum(['1.0', '1.1', '2']),
  path: z.string(),
  rawPath: z.string(),
  queryString: z.string(),
  rootPath: z.string(),
  headers: HeaderListSchema,
  client: AddressSchema.nullable(),
  server: AddressSchema.nullable(),
  state: StateSchema,
  extensions: ExtensionsSchema,
};

export const HttpScopeSchema = z.object({
  type: z.literal('http'),
  ...connectionScope,
  method: z.string().regex(/^[A-Z0-9!#$%&'*+\-.^_`|~]+$/, { message: 'method must be an upper-case token' }),
  scheme: z.enum(['http', 'https']),
});
export const WebSocketScopeSchema = z.object({
  type: z.literal('websocket'),
  ...connectionScope,
  scheme: z.enum(['ws', 'wss']),
  subprotocols: z.array(z.string()),
});
export const LifespanScopeSchema = z.object({
  type: z.literal('lifespan'),
  gateway: GatewayInfoSchema,
  state: StateSchema,
});
export const ScopeSchema = z.discriminatedUnion('type', [HttpScopeSchema, WebSocketScopeSchema, LifespanScopeSchema]);

// Events are strict: an unknown key is almost always a typo (`more_body` for `moreBody`).
const status = z.number().int().min(100).max(599);

export const HttpRequestEventSchema = z.strictObject({
  type: z.literal('http.request'),
  body: bytes,
  moreBody: z.boolean(),
});
export const HttpDisconnectEventSchema = z.strictObject({ type: z.literal('http.disconnect') });
export const HttpReceiveEventSchema = z.discriminatedUnion('type', [HttpRequestEventSchema, HttpDisconnectEventSchema]);

export const HttpResponseStartEventSchema = z.strictObject({
  type: z.literal('http.response.start'),
  status,
  headers: HeaderListSchema.exactOptional(),
  trailers: z.boolean().exactOptional(),
});
export const HttpResponseBodyEventSchema = z.strictObject({
  type: z.literal('http.response.body'),
  body: bytes.exactOptional(),
  moreBody: z.boolean().exactOptional(),
});
export const HttpResponseTrailersEventSchema = z.strictObject({
  type: z.literal('http.response.trailers'),
  headers: HeaderListSchema.exactOptional(),
  moreTrailers: z.boolean().exactOptional(),
});
export const HttpResponsePathsendEventSchema = z.strictObject({
  type: z.literal('http.response.pathsend'),
  path: z.string().min(1),
});
export const HttpResponseEarlyHintEventSchema = z.strictObject({
  type: z.literal('http.response.early_hint'),
  links: z.array(headerValue),
});
export const HttpSendEventSchema = z.discriminatedUnion('type', [
  HttpResponseStartEventSchema,
  HttpResponseBodyEventSchema,
  HttpResponseTrailersEventSchema,
  HttpResponsePathsendEventSchema,
  HttpResponseEarlyHintEventSchema,
]);

/** Exactly one of `text` and `bytes`. */
function message<T extends string>(type: T) {
  return z.union([
    z.strictObject({ type: z.literal(type), text: z.string(), bytes: z.undefined().exactOptional() }),
    z.strictObject({ type: z.literal(type), bytes, text: z.undefined().exactOptional() }),
  ]);
}

export const WebSocketConnectEventSchema = z.strictObject({ type: z.literal('websocket.connect') });
export const WebSocketReceiveEventSchema = message('websocket.receive');
export const WebSocketDisconnectEventSchema = z.strictObject({
  type: z.literal('websocket.disconnect'),
  code: z.number().int(),
  reason: z.string(),
});
export const WebSocketServerEventSchema = z.union([
  WebSocketConnectEventSchema,
  WebSocketReceiveEventSchema,
  WebSocketDisconnectEventSchema,
]);

const closeCode = z.number().int().refine((code) => code === 1000 || (code >= 3000 && code <= 4999) || (code >= 1001 && code <= 1014 && ![1004, 1005, 1006].includes(code)), {
  message: 'close code must be 1000-1014 (not 1004-1006) or 3000-4999 (RFC 6455 section 7.4)',
});
export const WebSocketAcceptEventSchema = z.strictObject({
  type: z.literal('websocket.accept'),
  subprotocol: z.string().nullable().exactOptional(),
  headers: HeaderListSchema.exactOptional(),
});
export const WebSocketSendMessageEventSchema = message('websocket.send');
export const WebSocketCloseEventSchema = z.strictObject({
  type: z.literal('websocket.close'),
  code: closeCode.exactOptional(),
  reason: z.string().exactOptional(),
});
export const WebSocketHttpResponseStartEventSchema = z.strictObject({
  type: z.literal('websocket.http.response.start'),
  status,
  headers: HeaderListSchema.exactOptional(),
});
export const WebSocketHttpResponseBodyEventSchema = z.strictObject({
  type: z.literal('websocket.http.response.body'),
  body: bytes.exactOptional(),
  moreBody: z.boolean().exactOptional(),
});
export const WebSocketSendEventSchema = z.union([
  WebSocketAcceptEventSchema,
  WebSocketSendMessageEventSchema,
  WebSocketCloseEventSchema,
  WebSocketHttpResponseStartEventSchema,
  WebSocketHttpResponseBodyEventSchema,
]);

export const LifespanReceiveEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('lifespan.startup') }),
  z.strictObject({ type: z.literal('lifespan.shutdown') }),
]);
export const LifespanSendEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('lifespan.startup.complete') }),
  z.strictObject({ type: z.literal('lifespan.startup.failed'), message: z.string() }),
  z.strictObject({ type: z.literal('lifespan.shutdown.complete') }),
  z.strictObject({ type: z.literal('lifespan.shutdown.failed'), message: z.string() }),
]);

/** The receive and send schemas of each scope type. */
export const eventSchemas = {
  http: { receive: HttpReceiveEventSchema, send: HttpSendEventSchema },
  websocket: { receive: WebSocketServerEventSchema, send: WebSocketSendEventSchema },
  lifespan: { receive: LifespanReceiveEventSchema, send: LifespanSendEventSchema },
} as const;
