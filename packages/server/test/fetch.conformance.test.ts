import { Agent } from 'node:http';
import { describeHostConformance, requestOverHttp } from '@portico/protocol/conformance';
import { toFetchHandler } from '@portico/server';
import { serveFetch } from './support/fetch-bridge';

// The handler served through node:http, as a runtime serving Requests would; fetch's Headers join
// repeated fields, and a Request carries no addresses, trailers or 1xx responses.
describeHostConformance(
  'fetch handler',
  async (app, options) => {
    const handler = toFetchHandler(app, { logLevel: 'critical', ...options });
    await handler.startup();
    const { server, origin } = await serveFetch(handler);
    const agent = new Agent({ keepAlive: true });
    return {
      request: (request) => requestOverHttp(origin, agent, request),
      close: async () => {
        agent.destroy();
        await new Promise((resolve) => server.close(resolve));
        await handler.shutdown();
      },
    };
  },
  { requestHeaders: 'cgi', responseHeaders: 'joined', addresses: false, pathsend: true },
);
