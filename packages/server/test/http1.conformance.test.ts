import { Agent } from 'node:http';
import { describeHostConformance, requestOverHttp, websocketOverWs, type StartHost } from '@portico/protocol/conformance';
import { Server, type ServerOptions } from '@portico/server';

/** The HTTP/1.1 host, or the HTTP/1.1 side of a cleartext `http: 'auto'` port (connections handed over after the preface sniff). */
function startOver(http: NonNullable<ServerOptions['http']>): StartHost {
  return async (app, options) => {
    const server = new Server(app, { port: 0, http, logLevel: 'critical', ...options });
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
  };
}

const capabilities = { trailers: true, pathsend: true, earlyHints: true, websocket: true };

describeHostConformance('HTTP/1.1 host', startOver('1.1'), capabilities);
describeHostConformance("HTTP/1.1 on a cleartext http: 'auto' port", startOver('auto'), capabilities);
