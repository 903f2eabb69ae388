/**
 * `@portico/server/host-kit`: what a new host is built from. A host turns its wire format into an
 * `HttpTransport` and a scope (`parseTarget`, `httpScope`), and hands both to a `RequestAdmission`,
 * which applies the limits and runs the one `HttpCycle`; `closeWithin` times its shutdown. See the
 * README's "Write your own host" for a whole one.
 */
export type { Host, HostContext, BoundAddress, ListenScheme } from './host';
export { HttpCycle } from './cycle/http-cycle';
export { cycleSettings, type CycleSettings } from './cycle/settings';
export type { HttpTransport, TransportListener } from './cycle/transport';
export type { FileAccess } from './cycle/files';
export { nodeFiles } from './file-body';
export { RESOLVED, NO_CHUNK } from './cycle/settled';
export { BODY_BUFFER_SIZE } from './cycle/body-buffer';
export { plainResponse } from './cycle/plain-response';
export { RequestAdmission } from './admission';
export { closeWithin } from './graceful-close';
export { AccessLog, requestLine } from './access-log';
export { TrustedProxies, trustedProxies, applyProxyHeaders } from './proxy-headers';
export { parseTarget, headerList, httpScope, type RequestTarget, type ScopeOrigin } from './scope';
export { NODE_HTTP_EXTENSIONS, PATHSEND_ONLY, NO_EXTENSIONS, WEBSOCKET_EXTENSIONS } from './extensions';
