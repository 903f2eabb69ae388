/**
 * The host conformance suite: `describeHostConformance(name, startHost, capabilities)` registers
 * Jest tests that any Portico host must pass. Import it from `@portico/protocol/conformance`
 * inside a Jest test file.
 *
 * @example
 * describeHostConformance('my host', async (app, options) => {
 *   const server = await startMyHost(app, options);
 *   const agent = new Agent({ keepAlive: true });
 *   return {
 *     request: (req) => requestOverHttp(server.origin, agent, req),
 *     websocket: (req) => websocketOverWs(server.origin, req), // with { websocket: true }
 *     close: () => server.close(),
 *   };
 * }, { websocket: true });
 */
import { describe } from '@jest/globals';
import { httpConformance } from './http-suite';
import { lifespanConformance } from './lifespan-suite';
import { websocketConformance } from './websocket-suite';
import type { HostCapabilities, StartHost } from './types';

export type {
  ConformanceRequest,
  ConformanceResponse,
  ConformanceWebSocket,
  ConformanceWebSocketEvent,
  ConformanceWebSocketOutcome,
  ConformanceWebSocketRequest,
  HostCapabilities,
  HostStartOptions,
  RunningHost,
  StartHost,
} from './types';
export { IncompleteResponseError } from './incomplete-response';
export { requestOverHttp } from './http-client';
export { websocketOverWs } from './ws-client';
export { readBody, respond, respondJson, text, utf8 } from './apps';

export function describeHostConformance(name: string, startHost: StartHost, capabilities: HostCapabilities = {}): void {
  describe(`${name}: Portico gateway conformance`, () => {
    describe('http', () => httpConformance(startHost, capabilities));
    describe('lifespan and settings', () => lifespanConformance(startHost));
    // Hosts without WebSocket support skip this part by not declaring it.
    if (capabilities.websocket === true) describe('websocket', () => websocketConformance(startHost));
  });
}
