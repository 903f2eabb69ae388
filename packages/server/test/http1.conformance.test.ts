import { Agent } from 'node:http';
import { describeHostConformance, requestOverHttp, websocketOverWs, type StartHost } from '@portico/protocol/conformance';
import { Server, type ServerOptions } from '@portico/server';
import { TEST_HTTP1, withTestHttp1 } from './support/servers';

/**
 * The HTTP/1.1 host (`node:http`, or the implementation under test), Portico's own (`http1:
 * 'portico'`), or the HTTP/1.1 side of a cleartext `http: 'auto'` port (connections handed over
 * after the preface sniff).
 */
function startOver(http: NonNullable<ServerOptions['http']>, http1?: ServerOptions['http1']): StartHost {
  return async (app, options) => {
    const server = new Server(app, withTestHttp1({ port: 0, http, ...(http1 === undefined ? {} : { http1 }), logLevel: 'critical', ...options }));
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

describeHostConformance(TEST_HTTP1 === undefined ? 'HTTP/1.1 host' : `HTTP/1.1 host (http1: '${TEST_HTTP1}')`, startOver('1.1'), capabilities);
describeHostConformance("HTTP/1.1 on a cleartext http: 'auto' port", startOver('auto'), capabilities);
describeHostConformance("Portico's own HTTP/1.1 host (http1: 'portico')", startOver('1.1', 'portico'), capabilities);
