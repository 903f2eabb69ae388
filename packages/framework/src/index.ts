export { App, type AppOptions } from './app';
export { describeValue } from './arguments';
export { defineScopeAccessor, HTTPConnection, type ConnectionScope, type FrameworkScopeKeys, type RouteReverser, type ServingApp } from './connection';
export { BodyTooLargeError, DEFAULT_BODY_LIMIT } from './body-limit';
export { CookieError, parseCookies, setCookieHeader, type CookieOptions } from './cookies';
export { FormData, Headers, MutableHeaders, QueryParams, URL, type Address, type FormValue, type URLParts } from './datastructures';
export { AppStartedError, ClientDisconnect, HTTPException, type HeadersInit } from './exceptions';
export { type Lifespan, type LifespanResult } from './lifespan';
export { Middleware, type MiddlewareEntry, type MiddlewareFactory } from './middleware/middleware';
export { httpMiddleware, type Next, type RequestMiddleware } from './middleware/http-middleware';
export { type ErrorClass, type ExceptionHandler, type ExceptionHandlers } from './middleware/exception-handlers';
export { ProtocolApp } from './protocol-app';
export { Request, RequestBodyError, type BodyReadOptions } from './requests';
export { Response, type ResponseContent, type ResponseInit } from './responses/response';
export { HTMLResponse, PlainTextResponse } from './responses/text';
export { JSONResponse } from './responses/json';
export { RedirectResponse } from './responses/redirect';
export { StreamingResponse, type StreamContent } from './responses/streaming';
export { EventSourceResponse, SendTimeoutError, type EventSource, type EventSourceInit } from './responses/event-source';
export { type EventFields, type ServerSentEvent } from './responses/sse-format';
export { FileResponse, FileResponseError, type FileResponseInit } from './responses/file-response';
export { NoMatchFound, type BaseRoute, type RouteMatch } from './routing/base';
export { Host } from './routing/host';
export { Mount, type MountOptions } from './routing/mount';
export { PathPattern, PathPatternError, type PathParamValue, type PathParamsRecord } from './routing/path-pattern';
export { type PathParams } from './routing/path-params';
export { Route, type Handler, type RouteOptions } from './routing/route';
export { Router, type RouterOptions } from './routing/router';
export { WebSocketRoute, type WebSocketEndpointClass, type WebSocketHandler, type WebSocketRouteOptions } from './routing/websocket-route';
export { WebSocket, WebSocketDisconnect, WebSocketException, WebSocketStateError, type AcceptOptions, type WebSocketState } from './websockets';
export { WebSocketEndpoint, type WebSocketEncoding } from './endpoints';
// The test tools' own entry is '@portico/framework/testing'; re-exported by name (an ES module
// importing this CommonJS entry sees only names it can read statically) so existing imports keep working.
export {
  CookieJar,
  LifespanError,
  ResponseCutError,
  StreamingTestResponse,
  TestClient,
  TestResponse,
  WebSocketDenied,
  WebSocketTestSession,
  type FormFields,
  type QueryValue,
  type TestClientOptions,
  type TestRequestOptions,
  type UploadFiles,
  type UploadSpec,
  type WebSocketConnectOptions,
} from './testing';
export { BackgroundTask, BackgroundTaskError, BackgroundTasks, type Background, type Runnable } from './background';
export { CORSMiddleware, type CORSOptions } from './middleware/cors';
export { CompressionMiddleware, type CompressionOptions, type ContentEncoding } from './middleware/compression';
export { TrustedHostMiddleware, type TrustedHostOptions } from './middleware/trusted-host';
export { HTTPSRedirectMiddleware, type HTTPSRedirectOptions } from './middleware/https-redirect';
export { SessionMiddleware, SessionTooLargeError, type Session, type SessionOptions } from './middleware/sessions';
export { CookieSessionStore, type SessionStore } from './middleware/session-store';
export { AuthenticationMiddleware, type AuthenticationOptions } from './middleware/authentication';
export {
  AuthCredentials,
  AuthenticationError,
  SimpleUser,
  UnauthenticatedUser,
  requires,
  type AuthResult,
  type AuthenticationBackend,
  type BaseUser,
  type RequiresOptions,
} from './authentication';
export { type FormOptions } from './formparsers';
export { UploadClosedError, UploadFile } from './uploads';
export { StaticFiles, StaticFilesError, type StaticFilesOptions } from './staticfiles';
export { Config, ConfigError, type ConfigOptions } from './config';
