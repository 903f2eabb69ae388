import {
  describeHostConformance,
  type ConformanceRequest,
  type ConformanceResponse,
  type ConformanceWebSocketEvent,
  type ConformanceWebSocketOutcome,
  type ConformanceWebSocketRequest,
} from '@portico/protocol/conformance';
import { TestClient, WebSocketDenied, type TestResponse } from '@portico/framework';

const asConformance = (response: TestResponse): ConformanceResponse => ({ status: response.status, headers: response.headers.raw, body: response.body, trailers: response.trailers.raw });

/** The TestClient's WebSocket session, as the suite's client: its close echo and drop stand for the wire's. */
async function openWebSocket(client: TestClient, request: ConformanceWebSocketRequest): Promise<ConformanceWebSocketOutcome> {
  let session;
  try {
    session = await client.websocketConnect(request.target, { subprotocols: request.subprotocols ?? [], headers: request.headers ?? [] });
  } catch (error) {
    if (error instanceof WebSocketDenied) return { accepted: false, response: asConformance(error.response) };
    throw error;
  }
  let closedByClient: ConformanceWebSocketEvent | null = null;
  return {
    accepted: true,
    socket: {
      subprotocol: session.subprotocol,
      headers: session.headers.raw,
      send: async (message) => (typeof message === 'string' ? session.sendText(message) : session.sendBytes(message)),
      receive: async () => {
        if (closedByClient !== null) return closedByClient;
        const event = await session.receive();
        if (event.type === 'websocket.close') return { type: 'close', code: event.code ?? 1000, reason: event.reason ?? '' };
        if (event.type !== 'websocket.send') throw new Error(`unexpected ${event.type} after the handshake`);
        return event.text !== undefined ? { type: 'text', text: event.text } : { type: 'bytes', bytes: event.bytes };
      },
      close: (code, reason) => {
        // A close frame without a code reaches the app as 1005 (RFC 6455 7.1.5).
        closedByClient = { type: 'close', code: code ?? 1005, reason: reason ?? '' };
        session.send({ type: 'websocket.disconnect', code: code ?? 1005, reason: reason ?? '' });
      },
      drop: () => session.drop(),
    },
  };
}

describeHostConformance(
  'TestClient',
  async (app, options) => {
    const client = new TestClient(app, { raiseServerExceptions: false, followRedirects: false, ...(options.rootPath !== undefined && { rootPath: options.rootPath }) });
    await client.start();
    return {
      request: async (request: ConformanceRequest): Promise<ConformanceResponse> => {
        const response = await client.request(request.method, request.target, {
          headers: request.headers ?? [],
          body: request.body ?? [],
          ...(request.signal && { signal: request.signal }),
        });
        return asConformance(response);
      },
      websocket: (request) => openWebSocket(client, request),
      close: () => client.close(),
    };
  },
  // A cut response rejects with ResponseCutError, which carries none of the bytes sent before the cut.
  { trailers: true, pathsend: true, earlyHints: true, websocket: true, cutResponse: 'error' },
);
