import { describeHostConformance } from '@portico/protocol/conformance';
import { Server } from '@portico/server';
import { connectHttp2, requestOverHttp2 } from './support/http2-client';

// Cleartext h2c with prior knowledge: the suite expects scheme 'http'. TLS with ALPN has its own tests.
describeHostConformance(
  'HTTP/2 host',
  async (app, options) => {
    const server = new Server(app, { port: 0, http: '2', logLevel: 'critical', ...options });
    await server.start();
    const session = await connectHttp2(server.url);
    return {
      request: (request) => requestOverHttp2(session, request),
      close: async () => {
        session.destroy();
        await server.close();
      },
    };
  },
  { trailers: true, pathsend: true, earlyHints: true },
);
