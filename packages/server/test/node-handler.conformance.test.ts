import { Agent, type Server } from 'node:http';
import express from 'express';
import { describeHostConformance, requestOverHttp } from '@portico/protocol/conformance';
import { toNodeHandler } from '@portico/server';

// The app mounted in a real Express app, which listens on loopback.
describeHostConformance(
  'node handler (in Express)',
  async (app, options) => {
    const handler = toNodeHandler(app, { logLevel: 'critical', ...options });
    await handler.startup();
    const server = await new Promise<Server>((resolve) => {
      const listening: Server = express().use(handler).listen(0, '127.0.0.1', () => resolve(listening));
    });
    const { port } = server.address() as { port: number };
    const agent = new Agent({ keepAlive: true });
    return {
      request: (request) => requestOverHttp(`http://127.0.0.1:${port}`, agent, request),
      close: async () => {
        agent.destroy();
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
        await handler.shutdown();
      },
    };
  },
  { trailers: true, pathsend: true, earlyHints: true },
);
