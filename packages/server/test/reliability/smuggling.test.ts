/**
 * The smuggling corpus (smuggling-corpus.ts) against the HTTP/1.1 host directly, and through nginx
 * to the FastCGI host. Each rejected request gets its error status and a closed connection, the app
 * never sees it, and no connection ever yields more requests than the client sent.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { App } from '@portico/protocol';
import { readBody, respond } from '@portico/protocol/conformance';
import { withSystemPrograms } from '@portico/protocol/testing';
import { Server } from '@portico/server';
import { startNginx, NGINX, type RunningNginx } from '../support/nginx';
import { fastcgiLocation } from '../support/fastcgi';
import { TEST_HTTP1, withTestHttp1 } from '../support/servers';
import { exchange } from './raw-exchange';
import { CORPUS, type Outcome } from './smuggling-corpus';

function recordingApp(calls: string[]): App {
  return async (scope, receive, send) => {
    if (scope.type !== 'http') return;
    calls.push(`${scope.method} ${scope.rawPath}`);
    await readBody(receive as Parameters<typeof readBody>[0]);
    await respond(send as Parameters<typeof respond>[0], 200, 'the app answered');
  };
}

async function expectOutcome(port: number, calls: string[], raw: string, expected: Outcome): Promise<void> {
  calls.length = 0;
  const { statuses, closed } = await exchange(port, raw);
  expect({ statuses, calls: [...calls] }).toEqual(expected);
  if ((statuses.at(-1) ?? 0) >= 400 || statuses.includes(-1)) expect(closed).toBe(true); // an error response ends the connection
  expect(calls.some((call) => call.includes('smuggled'))).toBe(false);
}

describe(`the smuggling corpus against the HTTP/1.1 host (${TEST_HTTP1 === 'portico' ? "http1: 'portico'" : 'llhttp'})`, () => {
  const calls: string[] = [];
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = new Server(recordingApp(calls), withTestHttp1({ port: 0, logLevel: 'critical', useColors: false }));
    await server.start();
    port = server.address.kind === 'tcp' ? server.address.port : 0;
  });
  afterAll(() => server.close());

  it.each(CORPUS.map((entry) => [entry.name, entry] as const))('%s', async (_name, entry) => {
    await expectOutcome(port, calls, entry.raw, TEST_HTTP1 === 'portico' ? (entry.portico ?? entry.llhttp) : entry.llhttp);
  });

  it('still serves a plain request after the whole corpus', async () => {
    await expectOutcome(port, calls, 'GET /after HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n', { statuses: [200], calls: ['GET /after'] });
  });
});

withSystemPrograms([NGINX], () => {
  describe('the smuggling corpus through nginx to the FastCGI host', () => {
    const calls: string[] = [];
    let server: Server;
    let nginx: RunningNginx;
    beforeAll(async () => {
      server = new Server(recordingApp(calls), { interface: 'fastcgi', port: 0, logLevel: 'critical', useColors: false });
      await server.start();
      const address = server.address;
      nginx = await startNginx(fastcgiLocation(address.kind === 'tcp' ? `127.0.0.1:${address.port}` : `unix:${address.path}`));
    });
    afterAll(async () => {
      await nginx.stop();
      await server.close();
    });

    it.each(CORPUS.map((entry) => [entry.name, entry] as const))('%s', async (_name, entry) => {
      await expectOutcome(nginx.port, calls, entry.raw, entry.nginx);
    });

    it('still serves a plain request after the whole corpus', async () => {
      await expectOutcome(nginx.port, calls, 'GET /after HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n', { statuses: [200], calls: ['GET /after'] });
    });
  });
});
