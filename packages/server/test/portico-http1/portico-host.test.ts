/**
 * Portico's own HTTP/1.1 host (`http1: 'portico'`) where it is chosen and where it differs from the
 * node:http one on purpose (the server README, "HTTP/1.1 implementations"); what both do alike is
 * in the parameterised HTTP/1.1 tests and wire-parity.test.ts.
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { respond } from '@portico/protocol/conformance';
import { ConfigError, Server, type ServerOptions } from '@portico/server';
import { parseCommand } from '../../src/cli/args';
import { FIXTURES, usePortico } from '../support/cli';
import { RawClient, exchangeBytes, rawRequest } from '../support/raw-http';
import { deferred, httpApp, useServers } from '../support/servers';
import { HANDSHAKE, websocketApp } from '../support/websockets';

const start = useServers();
const portico = usePortico();
const options: ServerOptions = { http1: 'portico' };

describe('choosing it', () => {
  it("is refused where there is no HTTP/1.1 port of its own to serve: http '2' or 'auto', interface 'fastcgi'", () => {
    const problem = (given: ServerOptions): string => {
      try {
        new Server(async () => undefined, given);
      } catch (error) {
        if (error instanceof ConfigError) return error.message;
        throw error;
      }
      return 'accepted';
    };
    for (const given of [{ http: 'auto' }, { http: '2' }, { interface: 'fastcgi' }] as const) {
      expect(problem({ ...given, http1: 'portico' })).toMatch(/^Invalid option 'http1': got 'portico'; expected 'node' or 'portico'; 'portico' only with http '1\.1'/);
      expect(problem({ ...given, http1: 'node' })).toBe('accepted');
    }
    expect(problem({ http1: 'llhttp' as 'node' })).toMatch(/Invalid option 'http1': got 'llhttp'/);
  });

  it('is taken from --http1 on the command line', () => {
    expect(parseCommand(['serve', 'app.ts', '--http1', 'portico'])).toMatchObject({ kind: 'serve', options: { http1: 'portico' } });
  });

  it('serves an inherited listening socket from the command line (--fd 3 --http1 portico)', async () => {
    const listener = createServer();
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const { port } = listener.address() as { port: number };
    // Node has no public accessor for a server's descriptor; the test hands it down as fd 3.
    const fd = (listener as unknown as { _handle: { fd: number } })._handle.fd;
    const cli = portico(['serve', join(FIXTURES, 'esm-app.mjs'), '--fd', '3', '--http1', 'portico'], { stdio: ['ignore', 'pipe', 'pipe', fd] });
    listener.close();
    expect(await cli.origin()).toBe(`http://127.0.0.1:${port}`);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('from an ES module');
    // Its own 417 carries the host's fields; node:http writes its 417 itself, without them.
    const refused = await rawRequest(port, 'GET / HTTP/1.1\r\nHost: t\r\nExpect: something-else\r\n\r\n');
    expect([refused.status, refused.header('server'), refused.header('content-length')]).toEqual([417, 'portico', '0']);
  });
});

describe('where it differs from node:http', () => {
  it('answers an upgrade it does not serve (ws: none) as a plain request, then closes: nothing after it is read', async () => {
    const { port } = await start(websocketApp(async () => undefined), { ...options, ws: 'none' });
    const { bytes, closed } = await exchangeBytes(port, `${HANDSHAKE('/plain')}GET /after HTTP/1.1\r\nHost: t\r\n\r\n`);
    expect(bytes.toString('latin1')).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*Connection: close\r\n\r\nplain GET \/plain$/);
    expect(closed).toBe(true);
  });

  it('names a 500 by its own reason phrase after a head the app could not send (node:http says "500 OK")', async () => {
    const { port } = await start(httpApp(async (_scope, _receive, send) => respond(send, 200, 'never', [['x-bad', 'a\r\nb']])), { ...options, logLevel: 'critical' });
    expect((await exchangeBytes(port, 'GET / HTTP/1.1\r\nHost: t\r\n\r\n')).bytes.toString('latin1')).toMatch(/^HTTP\/1\.1 500 Internal Server Error\r\n/);
  });

  it('hands a WebSocket upgrade pipelined behind a slow request over once that response is out', async () => {
    const slow = deferred();
    const { port } = await start(
      async (scope, receive, send) => {
        if (scope.type === 'http') {
          await slow.promise;
          await respond(send as Parameters<typeof respond>[0], 200, 'first');
        } else if (scope.type === 'websocket') {
          await receive();
          await send({ type: 'websocket.accept' });
          await send({ type: 'websocket.send', text: 'upgraded' });
          await send({ type: 'websocket.close' });
        }
      },
      options,
    );
    const client = await RawClient.connect({ port });
    client.write(`GET /slow HTTP/1.1\r\nHost: t\r\n\r\n${HANDSHAKE('/ws')}`);
    setTimeout(slow.resolve, 50);
    const first = await client.readResponse();
    const upgraded = await client.readResponse({ noBody: true });
    await client.untilReceived(10);
    client.close();
    expect([first.status, first.body.toString(), upgraded.status]).toEqual([200, 'first', 101]);
    expect(client.pending.subarray(2, 10).toString()).toBe('upgraded');
  });
});

describe('WebSocket', () => {
  it('gives ws the frame bytes that came in the same packet as the handshake', async () => {
    const { port } = await start(
      websocketApp(async (_scope, receive, send) => {
        await receive();
        await send({ type: 'websocket.accept' });
        const message = await receive();
        if (message.type === 'websocket.receive') await send({ type: 'websocket.send', text: `echo ${message.text ?? ''}` });
      }),
      options,
    );
    // RFC 6455 5.2: a masked text frame "hi" from the client, right behind its handshake.
    const mask = Buffer.from([1, 2, 3, 4]);
    const frame = Buffer.concat([Buffer.from([0x81, 0x82]), mask, Buffer.from([0x68 ^ 1, 0x69 ^ 2])]);
    const client = await RawClient.connect({ port });
    client.write(Buffer.concat([Buffer.from(HANDSHAKE('/'), 'latin1'), frame]));
    expect((await client.readResponse({ noBody: true })).status).toBe(101);
    await client.untilReceived(9);
    client.close();
    expect(client.pending.subarray(0, 9)).toEqual(Buffer.concat([Buffer.from([0x81, 7]), Buffer.from('echo hi')]));
  });
});
