import { describeHostConformance, type StartHost } from '@portico/protocol/conformance';
import { Server, type ServerOptions } from '@portico/server';
import { connectHttp2, requestOverHttp2 } from './support/http2-client';

/** h2c with prior knowledge on an `http: '2'` port, or on a cleartext `http: 'auto'` port (after the preface sniff). */
function startOver(http: NonNullable<ServerOptions['http']>): StartHost {
  return async (app, options) => {
    const server = new Server(app, { port: 0, http, logLevel: 'critical', ...options });
    await server.start();
    const session = await connectHttp2(server.url);
    return {
      request: (request) => requestOverHttp2(session, request),
      close: async () => {
        session.destroy();
        await server.close();
      },
    };
  };
}

// Cleartext: the suite expects scheme 'http'. TLS with ALPN has its own tests.
const capabilities = { trailers: true, pathsend: true, earlyHints: true };

describeHostConformance('HTTP/2 host', startOver('2'), capabilities);
describeHostConformance("h2c on a cleartext http: 'auto' port", startOver('auto'), capabilities);
