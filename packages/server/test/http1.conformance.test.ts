import { Agent } from 'node:http';
import { describeHostConformance, requestOverHttp, websocketOverWs } from '@portico/protocol/conformance';
import { Server } from '@portico/server';

describeHostConformance(
  'HTTP/1.1 host',
  async (app, options) => {
    const server = new Server(app, { port: 0, logLevel: 'critical', ...options });
    await server.start();
    const agent = new Agent({ keepAlive: true });
    return {
      request: (request) => requestOverHttp(server.url, agent, request),
      websocket: (request) => websocketOverWs(server.url, request),
      close: async () => {
        agent.destroy();
        await server.close();
      },
    };
  },
  { trailers: true, pathsend: true, earlyHints: true, websocket: true },
);
