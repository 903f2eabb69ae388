/** A FastCGI response the app breaks off: only its request ends, and the web server can tell it is cut. */
import { describe, expect, it } from '@jest/globals';
import { withSystemPrograms } from '@portico/protocol/testing';
import { RecordType } from '../src/fastcgi/records';
import { startNginxFastCgi } from './support/fastcgi';
import { FastCgiClient, requestParams } from './support/fastcgi-client';
import { NGINX } from './support/nginx';
import { RawClient } from './support/raw-http';
import { deferred, httpApp, useServers } from './support/servers';

const start = useServers();
const fastcgi = { interface: 'fastcgi' as const, logLevel: 'critical' as const };

interface Cues {
  /** `/fail` has sent its head and 'partial'. */
  partialSent?: () => void;
  /** `/fail` throws once this resolves. */
  fail?: Promise<void>;
  /** `/whole` was called. */
  arrived?: () => void;
  /** `/whole` answers once this resolves. */
  answer?: Promise<void>;
}

/** `/fail` sends a head and 'partial', then throws; other paths answer 'whole'. */
function breakingApp(cues: Cues = {}) {
  return httpApp(async (scope, _receive, send) => {
    if (scope.path !== '/fail') {
      cues.arrived?.();
      await cues.answer;
      await send({ type: 'http.response.start', status: 200, headers: [['content-type', 'text/plain']] });
      await send({ type: 'http.response.body', body: Buffer.from('whole') });
      return;
    }
    await send({ type: 'http.response.start', status: 200, headers: [['content-type', 'text/plain']] });
    await send({ type: 'http.response.body', body: Buffer.from('partial'), moreBody: true });
    cues.partialSent?.();
    await cues.fail;
    throw new Error('failure mid-body');
  });
}

describe('a FastCGI request whose app fails mid-body', () => {
  it('ends alone, with FCGI_END_REQUEST and appStatus 1, while the request multiplexed beside it completes', async () => {
    const [partialSent, fail, arrived, answer] = [deferred(), deferred(), deferred(), deferred()];
    const { port } = await start(breakingApp({ partialSent: partialSent.resolve, fail: fail.promise, arrived: arrived.resolve, answer: answer.promise }), fastcgi);
    const client = await FastCgiClient.connect(port);
    client.begin(1, requestParams('GET', '/fail'));
    client.stdin(1);
    client.begin(2, requestParams('GET', '/whole'));
    client.stdin(2);
    await Promise.all([partialSent.promise, arrived.promise]);
    fail.resolve();
    const failed = await client.response(1);
    expect([failed.body, failed.appStatus]).toEqual(['partial', 1]);
    // Its FCGI_STDOUT is never closed with an empty record: the stream, too, says it is incomplete.
    expect(client.records.filter((r) => r.requestId === 1 && r.type === RecordType.Stdout).at(-1)?.content.length).toBeGreaterThan(0);
    answer.resolve();
    const whole = await client.response(2);
    expect([whole.body, whole.appStatus]).toEqual(['whole', 0]);
    expect(client.isClosed).toBe(false);
    // The connection still takes requests.
    client.begin(3, requestParams('GET', '/again'));
    client.stdin(3);
    expect((await client.response(3)).body).toBe('whole');
    client.close();
  });

  it('alone on its connection, closes it once the head and partial body are out, without FCGI_END_REQUEST', async () => {
    const { port } = await start(breakingApp(), fastcgi);
    const client = await FastCgiClient.connect(port);
    client.begin(1, requestParams('GET', '/fail'));
    client.stdin(1);
    await client.closed;
    expect(client.stdout(1).toString()).toMatch(/^Status: 200 OK\r\ncontent-type: text\/plain\r\n\r\npartial$/);
    expect(client.ended(1)).toBeUndefined();
  });
});

withSystemPrograms([NGINX], () => {
  it('behind nginx, reaches the client as the head and partial body, then a closed connection without the last chunk', async () => {
    const { nginx, host } = await startNginxFastCgi(breakingApp());
    try {
      const client = await RawClient.connect({ port: nginx.port });
      client.write('GET /fail HTTP/1.1\r\nHost: test\r\n\r\n');
      const received = (await client.untilClosed()).toString('latin1');
      expect(received).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*transfer-encoding: chunked\r\n[\s\S]*\r\n\r\n7\r\npartial\r\n$/i);
      expect(nginx.errorLog()).toContain('upstream prematurely closed');
    } finally {
      await host.close();
    }
  });
});
