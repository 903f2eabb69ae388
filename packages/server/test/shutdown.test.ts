/** Graceful shutdown through server.close(): in-flight requests finish, idle ones go, then lifespan shutdown. */
import { connect } from 'node:net';
import { expect, it } from '@jest/globals';
import type { App } from '@portico/protocol';
import { respond } from '@portico/protocol/conformance';
import { RawClient } from './support/raw-http';
import { deferred, useServers } from './support/servers';

const start = useServers();
const get = (path: string): string => `GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`;

function refusal(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

it('lets a request in flight finish, closes idle connections, refuses new ones, then runs lifespan shutdown', async () => {
  const order: string[] = [];
  const holding = deferred();
  const release = deferred();
  const app: App = async (scope, receive, send) => {
    if (scope.type === 'lifespan') {
      order.push((await receive()).type);
      await send({ type: 'lifespan.startup.complete' });
      order.push((await receive()).type);
      await send({ type: 'lifespan.shutdown.complete' });
      return;
    }
    if (scope.type !== 'http') return;
    if (scope.path === '/slow') {
      holding.resolve();
      await release.promise;
    }
    await respond(send as Parameters<typeof respond>[0], 200, `done ${scope.path}`);
    order.push(`responded ${scope.path}`);
  };
  const { server, port } = await start(app);
  const idle = await RawClient.connect({ port });
  idle.write(get('/quick'));
  await idle.readResponse();
  const busy = await RawClient.connect({ port });
  busy.write(get('/slow'));
  await holding.promise;

  const closing = server.close();
  await idle.untilClosed(); // the idle keep-alive connection goes at once
  expect(await refusal(port)).toBe('ECONNREFUSED');
  expect(order).toEqual(['lifespan.startup', 'responded /quick']);

  release.resolve();
  const response = await busy.readResponse();
  expect([response.status, response.body.toString(), response.header('connection')]).toEqual([200, 'done /slow', 'close']);
  await closing;
  expect(order).toEqual(['lifespan.startup', 'responded /quick', 'responded /slow', 'lifespan.shutdown']);
});

it('cuts the requests still running after timeoutGracefulShutdown, and logs how many', async () => {
  const holding = deferred();
  const { server, port, logs } = await start(
    async (scope) => {
      if (scope.type !== 'http') return;
      holding.resolve();
      await new Promise(() => undefined); // never answers
    },
    { timeoutGracefulShutdown: 0.1 },
  );
  const client = await RawClient.connect({ port });
  client.write(get('/stuck'));
  await holding.promise;
  await server.close();
  expect((await client.untilClosed()).length).toBe(0);
  expect(logs).toContain('WARNING:  Graceful shutdown timed out after 0.1 s; closing 1 request(s) still running.');
});
