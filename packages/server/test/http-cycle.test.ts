/** The request cycle: app failures, protocol breaks, disconnects and back-pressure, over HTTP. */
import { connect } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import type { App, Receive, Scope, Send } from '@portico/protocol';
import { readBody, respond, text } from '@portico/protocol/conformance';
import { RawClient, rawRequest } from './support/raw-http';
import { deferred, httpApp, useServers } from './support/servers';

const start = useServers();
const get = (path: string): string => `GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`;

describe('an app that fails', () => {
  it('gets a 500 with a short body, its error logged with the request line, and the server serves on', async () => {
    const { port, logs } = await start(
      httpApp(async (scope, _receive, send) => {
        if (scope.path === '/boom') throw new Error('database exploded');
        await respond(send, 200, 'fine');
      }),
    );
    const failed = await rawRequest(port, get('/boom?x=1'));
    expect([failed.status, failed.body.toString(), failed.header('connection')]).toEqual([500, 'Internal Server Error', 'close']);
    expect(logs.join('\n')).toMatch(/ERROR: +Exception in app while handling "GET \/boom\?x=1 HTTP\/1\.1"\nError: database exploded\n +at /);
    expect((await rawRequest(port, get('/next'))).body.toString()).toBe('fine');
  });

  it('is served the same when it is a plain function that throws, or answers without returning a promise', async () => {
    // JavaScript apps are not always async functions: the cycle takes whatever the app returns.
    const app = ((scope: Scope, _receive: Receive, send: Send) => {
      if (scope.type !== 'http') return; // no lifespan: returning at once is the protocol's "unsupported"
      if (scope.path === '/throws') throw new Error('thrown before any await');
      void send({ type: 'http.response.start', status: 200, headers: [['content-type', 'text/plain']] });
      void send({ type: 'http.response.body', body: Buffer.from('sent without awaiting') });
    }) as unknown as App;
    const { port, logs } = await start(app);
    const thrown = await rawRequest(port, get('/throws'));
    expect([thrown.status, thrown.body.toString()]).toEqual([500, 'Internal Server Error']);
    expect(logs.join('\n')).toMatch(/Exception in app while handling "GET \/throws HTTP\/1\.1"\nError: thrown before any await/);
    expect((await rawRequest(port, get('/plain'))).body.toString()).toBe('sent without awaiting');
  });

  it('still gets a 500 when it fails after http.response.start, before any body byte was written', async () => {
    const { port } = await start(
      httpApp(async (_scope, _receive, send) => {
        await send({ type: 'http.response.start', status: 200, headers: [['content-type', 'text/plain']] });
        throw new Error('failed while rendering');
      }),
    );
    expect((await rawRequest(port, get('/'))).status).toBe(500);
  });

  it('has its connection cut when it fails mid-body, so the client cannot take the part for the whole', async () => {
    const { port } = await start(
      httpApp(async (_scope, _receive, send) => {
        await send({ type: 'http.response.start', status: 200 });
        await send({ type: 'http.response.body', body: Buffer.from('partial'), moreBody: true });
        throw new Error('failed mid-body');
      }),
    );
    const client = await RawClient.connect({ port });
    client.write(get('/'));
    await expect(client.readResponse()).rejects.toThrow(/closed before a complete response/);
  });

  it('has its connection cut when it ends the body short of its Content-Length, instead of leaving the client waiting', async () => {
    const { port, logs } = await start(
      httpApp(async (_scope, _receive, send) => {
        await send({ type: 'http.response.start', status: 200, headers: [['content-length', '100']] });
        await send({ type: 'http.response.body', body: Buffer.from('only 12 byte') });
      }),
    );
    const client = await RawClient.connect({ port });
    client.write(get('/'));
    await expect(client.readResponse()).rejects.toThrow(/closed before a complete response/);
    expect(logs.join('\n')).toContain('ERR_HTTP_CONTENT_LENGTH_MISMATCH');
  });

  it('has its connection cut, and a log naming the rule, when it returns with the body still open', async () => {
    const { port, logs } = await start(
      httpApp(async (_scope, _receive, send) => {
        await send({ type: 'http.response.start', status: 200 });
        await send({ type: 'http.response.body', body: Buffer.from('to be continued'), moreBody: true });
      }),
    );
    const client = await RawClient.connect({ port });
    client.write(get('/open'));
    await expect(client.readResponse()).rejects.toThrow(/closed before a complete response/);
    expect(logs.join('\n')).toMatch(/Invalid response while handling "GET \/open HTTP\/1\.1"\n.*returned while the body was open/);
  });

  it('gets a 500 when it sends a header value that would split the response', async () => {
    const { port, logs } = await start(
      httpApp(async (_scope, _receive, send) => respond(send, 200, 'never sent', [['x-injected', 'a\r\nset-cookie: stolen=1']])),
    );
    const response = await rawRequest(port, get('/'));
    expect([response.status, response.header('set-cookie')]).toEqual([500, undefined]);
    expect(logs.join('\n')).toContain('Invalid character in header content ["x-injected"]');
  });

  it('gets a 500 and a log naming the broken rule when it returns without a response', async () => {
    const { port, logs } = await start(httpApp(async () => undefined));
    expect((await rawRequest(port, get('/silent'))).status).toBe(500);
    expect(logs.join('\n')).toContain(`Invalid response while handling "GET /silent HTTP/1.1"`);
    expect(logs.join('\n')).toContain("protocol rule 'http.incomplete-response'");
  });

  it('has a send that breaks the protocol order rejected with an error naming the rule', async () => {
    const { port } = await start(
      httpApp(async (_scope, _receive, send) => {
        const error = await send({ type: 'http.response.body', body: Buffer.from('too early') }).catch((caught: Error) => caught);
        await respond(send, 200, error instanceof Error ? error.message : 'accepted');
      }),
    );
    expect((await rawRequest(port, get('/'))).body.toString()).toMatch(/^http\.response\.body was sent before http\.response\.start .*'http\.body-before-start'/);
  });
});

describe('the client leaving', () => {
  it('turns into http.disconnect mid-upload, and later sends resolve without writing', async () => {
    const firstPart = deferred();
    const seen = deferred<{ events: string[]; sendError: unknown }>();
    const { port } = await start(
      httpApp(async (_scope, receive, send) => {
        const events: string[] = [];
        for (;;) {
          const event = await receive();
          events.push(event.type === 'http.request' ? `request ${text(event.body)}` : event.type);
          if (event.type === 'http.disconnect') break;
          firstPart.resolve();
        }
        const sendError = await respond(send, 200, 'nobody listens').catch((error: unknown) => error);
        seen.resolve({ events, sendError: sendError ?? null });
      }),
    );
    const client = await RawClient.connect({ port });
    client.write('POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\nfirst part');
    await firstPart.promise;
    client.close();
    expect(await seen.promise).toEqual({ events: ['request first part', 'http.disconnect'], sendError: null });
  });

  it('after the body, a waiting receive yields http.disconnect once the response is complete', async () => {
    const seen = deferred<{ settledBeforeEnd: boolean; event: string }>();
    const { port } = await start(
      httpApp(async (_scope, receive, send) => {
        await readBody(receive);
        let settled = false;
        const watching = receive().then((event) => {
          settled = true;
          return event.type;
        });
        await send({ type: 'http.response.start', status: 200 });
        await send({ type: 'http.response.body', body: Buffer.from('still '), moreBody: true });
        await new Promise((resolve) => setImmediate(resolve));
        const settledBeforeEnd = settled;
        await send({ type: 'http.response.body', body: Buffer.from('going') });
        seen.resolve({ settledBeforeEnd, event: await watching });
      }),
    );
    expect((await rawRequest(port, get('/'))).body.toString()).toBe('still going');
    expect(await seen.promise).toEqual({ settledBeforeEnd: false, event: 'http.disconnect' });
  });
});

describe('back-pressure', () => {
  it('holds the app while the client does not read, so the unread backlog stays bounded', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 97);
    const total = 64;
    let received = 0;
    let largestBacklog = 0;
    const stalled = deferred();
    const finished = deferred();
    const { port } = await start(
      httpApp(async (_scope, _receive, send) => {
        await send({ type: 'http.response.start', status: 200, headers: [['content-length', String(chunk.length * total)]] });
        for (let i = 0; i < total; i++) {
          const sending = send({ type: 'http.response.body', body: chunk, moreBody: i < total - 1 });
          const state = await Promise.race([sending.then(() => 'sent'), new Promise((resolve) => setImmediate(resolve, 'pending'))]);
          if (state === 'pending') stalled.resolve();
          await sending;
          largestBacklog = Math.max(largestBacklog, (i + 1) * chunk.length - received);
        }
        finished.resolve();
      }),
    );
    const client = connect(port, '127.0.0.1');
    client.pause();
    client.on('data', (data: Buffer) => (received += data.length));
    client.write(get('/large'));
    await Promise.race([stalled.promise, finished.promise]);
    client.resume();
    await finished.promise;
    client.destroy();
    // Without back-pressure the app would have handed over all 64 MiB before the client read a byte.
    expect(largestBacklog).toBeLessThan(32 * chunk.length);
  });
});
