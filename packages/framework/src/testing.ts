/**
 * `@portico/framework/testing`: the in-memory TestClient and what it returns, for tests only, so an
 * app's production imports need not name them.
 *
 * @example
 * import { TestClient } from '@portico/framework/testing';
 * await using client = new TestClient(app);
 * expect((await client.get('/')).status).toBe(200);
 */
export { LifespanError, TestClient, type QueryValue, type TestClientOptions, type TestRequestOptions, type WebSocketConnectOptions } from './testclient/testclient';
export { type FormFields, type UploadFiles, type UploadSpec } from './testclient/multipart-body';
export { ResponseCutError } from './testclient/http-cycle';
export { TestResponse } from './testclient/test-response';
export { StreamingTestResponse } from './testclient/streaming-test-response';
export { WebSocketDenied, WebSocketTestSession } from './testclient/websocket-session';
export { CookieJar } from './testclient/cookie-jar';
