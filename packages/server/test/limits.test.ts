/** Every limit answers with its status code, and what the app sees stays consistent. */
import { describe, expect, it } from '@jest/globals';
import { readBody, respond, text } from '@portico/protocol/conformance';
import { RawClient, rawRequest } from './support/raw-http';
import { deferred, httpApp, useServers } from './support/servers';

const start = useServers();
const get = (path: string): string => `GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`;

/** An app that counts its calls and echoes what it read. */
function countingApp(): { app: ReturnType<typeof httpApp>; calls: () => number } {
  let calls = 0;
  const app = httpApp(async (_scope, receive, send) => {
    calls += 1;
    await respond(send, 200, `read ${(await readBody(receive)).body.length} bytes`);
  });
  return { app, calls: () => calls };
}

describe('request size', () => {
  it('answers 431 to a request head over maxHeaderSize, without calling the app', async () => {
    const { app, calls } = countingApp();
    const { port } = await start(app, { maxHeaderSize: 1024 });
    const response = await rawRequest(port, `GET / HTTP/1.1\r\nHost: test\r\nX-Big: ${'a'.repeat(2048)}\r\n\r\n`);
    expect([response.status, response.body.toString(), response.header('connection')]).toEqual([431, 'Request Header Fields Too Large', 'close']);
    expect(calls()).toBe(0);
  });

  it('answers 413 to a declared Content-Length over maxBodySize, without calling the app', async () => {
    const { app, calls } = countingApp();
    const { port } = await start(app, { maxBodySize: 10 });
    const response = await rawRequest(port, 'POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 1000\r\n\r\n');
    expect([response.status, response.header('connection')]).toEqual([413, 'close']);
    expect(calls()).toBe(0);
  });

  it('answers 413 when a chunked body grows over maxBodySize, and the app sees http.disconnect, not a cut body', async () => {
    const events: string[] = [];
    const firstPart = deferred();
    const { port } = await start(
      httpApp(async (_scope, receive, send) => {
        for (;;) {
          const event = await receive();
          events.push(event.type === 'http.request' ? `request ${text(event.body)}` : event.type);
          if (event.type === 'http.disconnect' || !event.moreBody) break;
          firstPart.resolve();
        }
        await respond(send, 200, 'the app would have answered');
      }),
      { maxBodySize: 10 },
    );
    const client = await RawClient.connect({ port });
    client.write('POST / HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n');
    await firstPart.promise;
    client.write('a\r\n, too long\r\n0\r\n\r\n');
    const response = await client.readResponse();
    await client.untilClosed();
    expect(response.status).toBe(413);
    expect(events).toEqual(['request hello', 'http.disconnect']);
  });
});

// limitConcurrency and limitMaxRequests: limits-every-host.test.ts runs them against each host.

describe('timeouts', () => {
  it('closes a keep-alive connection that stays idle past timeoutKeepAlive', async () => {
    const { app } = countingApp();
    const { port } = await start(app, { timeoutKeepAlive: 0.1 });
    const client = await RawClient.connect({ port });
    client.write(get('/1'));
    const first = await client.readResponse();
    expect(first.header('connection')).toBe('keep-alive');
    client.write(get('/2')); // still open right after a response
    expect((await client.readResponse()).status).toBe(200);
    expect((await client.untilClosed()).length).toBe(0);
  });

  it('answers 408 and closes a connection whose request head does not arrive within timeoutHeaders (slowloris)', async () => {
    const { app, calls } = countingApp();
    const { port } = await start(app, { timeoutHeaders: 0.2 });
    const client = await RawClient.connect({ port });
    client.write('GET / HTTP/1.1\r\nHost: test\r\nX-Slow: ');
    const rest = await client.untilClosed();
    expect(rest.toString()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(calls()).toBe(0);
  });

  it('closes a connection that sends nothing within timeoutHeaders', async () => {
    const { app } = countingApp();
    const { port } = await start(app, { timeoutHeaders: 0.2 });
    const client = await RawClient.connect({ port });
    await client.untilClosed();
    expect(client.ended).toBe(true);
  });
});
