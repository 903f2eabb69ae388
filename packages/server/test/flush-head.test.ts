/**
 * An empty body part sends the response head at once: a stream that opens before it has anything
 * to say (server-sent events) must not leave the client waiting for its headers.
 */
import { once } from 'node:events';
import { get, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from '@jest/globals';
import { connectHttp2 } from './support/http2-client';
import { deferred, httpApp, useServers } from './support/servers';

const start = useServers();

/** Starts a response, sends an empty part, and holds the rest until `release` resolves. */
function openingApp(release: Promise<void>) {
  return httpApp(async (_scope, _receive, send) => {
    await send({ type: 'http.response.start', status: 200, headers: [['content-type', 'text/event-stream']] });
    await send({ type: 'http.response.body', body: new Uint8Array(0), moreBody: true });
    await release;
    await send({ type: 'http.response.body', body: new TextEncoder().encode('data: hi\n\n') });
  });
}

describe('an empty first body part', () => {
  let release = deferred();
  afterEach(() => release.resolve());

  it('sends the HTTP/1.1 head before any body byte', async () => {
    release = deferred();
    const { url } = await start(openingApp(release.promise));
    const [response] = (await once(get(url), 'response')) as [IncomingMessage];
    expect([response.statusCode, response.headers['content-type']]).toEqual([200, 'text/event-stream']);
    release.resolve();
    let body = '';
    for await (const chunk of response) body += String(chunk);
    expect(body).toBe('data: hi\n\n');
  });

  it('sends the HTTP/2 head before any body byte', async () => {
    release = deferred();
    const { url } = await start(openingApp(release.promise), { http: '2' });
    const session = await connectHttp2(url);
    try {
      const stream = session.request({ ':path': '/' });
      const [headers] = (await once(stream, 'response')) as [Record<string, string | number>];
      expect([headers[':status'], headers['content-type']]).toEqual([200, 'text/event-stream']);
      release.resolve();
      let body = '';
      for await (const chunk of stream) body += String(chunk);
      expect(body).toBe('data: hi\n\n');
    } finally {
      session.close();
    }
  });
});
