/** Graceful shutdown through server.close(): in-flight requests finish, idle ones go, then lifespan shutdown. */
import { connect } from 'node:net';
import { expect, it } from '@jest/globals';
import type { App } from '@portico/protocol';
import { respond } from '@portico/protocol/conformance';
import { RawClient } from './support/raw-http';
import { deferred, httpApp, useServers } from './support/servers';

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

it('ends a keep-alive connection once the response whose head went out before the shutdown is complete', async () => {
  const headSent = deferred();
  const release = deferred();
  const { server, port } = await start(
    httpApp(async (_scope, _receive, send) => {
      await send({ type: 'http.response.start', status: 200, headers: [['content-type', 'text/plain']] });
      await send({ type: 'http.response.body', body: Buffer.from('first part, '), moreBody: true });
      headSent.resolve();
      await release.promise;
      await send({ type: 'http.response.body', body: Buffer.from('last part') });
    }),
    // Neither the keep-alive timeout nor the grace period may be what closes it.
    { timeoutKeepAlive: 60, timeoutGracefulShutdown: 60 },
  );
  const client = await RawClient.connect({ port });
  client.write(get('/'));
  await headSent.promise;
  const closing = server.close();
  release.resolve();
  const response = await client.readResponse();
  expect([response.body.toString(), response.header('connection')]).toEqual(['first part, last part', 'keep-alive']);
  await client.untilClosed();
  await closing;
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

// Node counts a connection that has not sent a byte yet as busy, so close() used to wait the whole
// grace period (30 s here, past the test timeout) for it; nothing can be lost on it, so it goes at once.
it('closes a connection that never sent a byte at once, without waiting out the grace period', async () => {
  const { server, port } = await start(async () => undefined, { timeoutGracefulShutdown: 30 });
  const spare = await RawClient.connect({ port });
  // Connections are accepted in order: once this one is answered, the spare one is the server's.
  const used = await RawClient.connect({ port });
  used.write(get('/'));
  await used.readResponse();
  await server.close();
  expect((await spare.untilClosed()).length).toBe(0);
});

// The case it was reported in: Node's fetch leaves such a connection open after an abort (until
// its own 4 s idle timeout, which is why this one alone would pass slowly without the fix).
it('closes at once after a request whose fetch() was aborted', async () => {
  const called = deferred();
  const disconnected = deferred();
  const { server, url } = await start(
    httpApp(async (_scope, receive) => {
      called.resolve();
      await receive();
      if ((await receive()).type === 'http.disconnect') disconnected.resolve();
    }),
    { timeoutGracefulShutdown: 30 },
  );
  const controller = new AbortController();
  const aborted = fetch(`${url}/wait`, { signal: controller.signal }).then(
    () => 'answered',
    (error: Error) => error.name,
  );
  await called.promise;
  controller.abort();
  expect(await aborted).toBe('AbortError');
  await disconnected.promise;
  await server.close();
});
