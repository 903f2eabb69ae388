/** HTTP/1.1 connection behaviour of the node:http host, seen on raw sockets. */
import { describe, expect, it } from '@jest/globals';
import { readBody, respond, text } from '@portico/protocol/conformance';
import { RawClient, rawRequest } from './support/raw-http';
import { deferred, httpApp, useServers } from './support/servers';

const start = useServers();
const get = (path: string, extra = ''): string => `GET ${path} HTTP/1.1\r\nHost: test\r\n${extra}\r\n`;

describe('connections', () => {
  it('keeps the connection alive across requests', async () => {
    const { port } = await start(httpApp(async (scope, _receive, send) => respond(send, 200, `you asked for ${scope.path}`)));
    const client = await RawClient.connect({ port });
    client.write(get('/one'));
    const first = await client.readResponse();
    client.write(get('/two'));
    const second = await client.readResponse();
    client.close();
    expect([first.body.toString(), second.body.toString()]).toEqual(['you asked for /one', 'you asked for /two']);
    expect(first.header('connection')).toBe('keep-alive');
  });

  it("gives every request of a connection the connection's addresses, unchanged by an earlier request's app", async () => {
    const { port } = await start(
      httpApp(async (scope, _receive, send) => {
        const seen = JSON.stringify({ client: scope.client, server: scope.server });
        // The addresses are read once per connection: an app editing its scope must not edit them.
        if (scope.client !== null) scope.client.host = 'edited';
        if (scope.server !== null) scope.server.port = 1;
        await respond(send, 200, seen);
      }),
    );
    const client = await RawClient.connect({ port });
    client.write(get('/one'));
    const first = JSON.parse((await client.readResponse()).body.toString());
    client.write(get('/two'));
    const second = JSON.parse((await client.readResponse()).body.toString());
    client.close();
    expect(first).toEqual({ client: { host: '127.0.0.1', port: expect.any(Number) }, server: { host: '127.0.0.1', port } });
    expect(second).toEqual(first);
  });

  it('serves pipelined requests concurrently and answers them in order', async () => {
    const secondCalled = deferred();
    const { port } = await start(
      httpApp(async (scope, receive, send) => {
        await readBody(receive);
        if (scope.path === '/first') await secondCalled.promise; // only returns once /second is being served
        else secondCalled.resolve();
        await respond(send, 200, scope.path);
      }),
    );
    const client = await RawClient.connect({ port });
    client.write(get('/first') + get('/second'));
    const first = await client.readResponse();
    const second = await client.readResponse();
    client.close();
    expect([first.body.toString(), second.body.toString()]).toEqual(['/first', '/second']);
  });

  it('keeps a 103 ahead of its response when that response waits behind another on the connection', async () => {
    const secondHinting = deferred();
    const { port } = await start(
      httpApp(async (scope, _receive, send) => {
        if (scope.path === '/first') {
          await secondHinting.promise;
          return respond(send, 200, 'first');
        }
        secondHinting.resolve();
        await send({ type: 'http.response.early_hint', links: ['</a.css>; rel=preload; as=style'] });
        await respond(send, 200, 'second');
      }),
    );
    const client = await RawClient.connect({ port });
    client.write(get('/first') + get('/second'));
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await client.readResponse()).status);
    client.close();
    expect(statuses).toEqual([200, 103, 200]);
  });

  it('tells the app serving a pipelined request, queued behind another, that the client left', async () => {
    const secondWaiting = deferred();
    const secondSaw = deferred<string>();
    const { port } = await start(
      httpApp(async (scope, receive) => {
        await readBody(receive);
        if (scope.path === '/first') {
          await receive(); // holds the connection's first response open until the client leaves
          return;
        }
        secondWaiting.resolve();
        secondSaw.resolve((await receive()).type);
      }),
    );
    const client = await RawClient.connect({ port });
    client.write(get('/first') + get('/second'));
    await secondWaiting.promise;
    client.close();
    expect(await secondSaw.promise).toBe('http.disconnect');
  });

  it('streams a chunked request body to the app as it arrives', async () => {
    const firstEvent = deferred<{ body: string; moreBody: boolean }>();
    const { port } = await start(
      httpApp(async (_scope, receive, send) => {
        const event = await receive();
        if (event.type !== 'http.request') throw new Error('expected a body event');
        firstEvent.resolve({ body: text(event.body), moreBody: event.moreBody });
        const rest = await readBody(receive);
        await respond(send, 200, `rest: ${text(rest.body)}`);
      }),
    );
    const client = await RawClient.connect({ port });
    client.write('POST /upload HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n');
    // The app has the first chunk while the client has not sent the rest yet.
    expect(await firstEvent.promise).toEqual({ body: 'hello', moreBody: true });
    client.write('6\r\n world\r\n0\r\n\r\n');
    const response = await client.readResponse();
    client.close();
    expect(response.body.toString()).toBe('rest:  world');
  });
});

describe('Expect: 100-continue', () => {
  it('sends 100 Continue when the app first calls receive, then takes the body', async () => {
    const { port } = await start(httpApp(async (_scope, receive, send) => respond(send, 200, `got ${text((await readBody(receive)).body)}`)));
    const client = await RawClient.connect({ port });
    client.write('PUT /file HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n');
    const interim = await client.readResponse();
    expect(interim.status).toBe(100);
    client.write('hello');
    const final = await client.readResponse();
    client.close();
    expect([final.status, final.body.toString()]).toEqual([200, 'got hello']);
  });

  it('sends no 100 Continue to an app that answers without reading, and closes the connection', async () => {
    const { port } = await start(httpApp(async (_scope, _receive, send) => respond(send, 401, 'log in first')));
    const client = await RawClient.connect({ port });
    client.write('PUT /file HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n');
    const response = await client.readResponse();
    expect([response.status, response.body.toString(), response.header('connection')]).toEqual([401, 'log in first', 'close']);
    expect((await client.untilClosed()).length).toBe(0);
  });
});

describe('response framing', () => {
  it('answers HEAD with the Content-Length of GET and not one body byte', async () => {
    const { port } = await start(httpApp(async (scope, _receive, send) => respond(send, 200, `${scope.method} body`)));
    const client = await RawClient.connect({ port });
    client.write(`HEAD / HTTP/1.1\r\nHost: test\r\n\r\n${get('/')}`);
    const head = await client.readResponse({ noBody: true });
    // Any stray body byte after the HEAD response would corrupt the next response.
    const next = await client.readResponse();
    client.close();
    expect([head.status, head.header('content-length')]).toEqual([200, String('HEAD body'.length)]);
    expect(next.body.toString()).toBe('GET body');
  });

  it('gives a one-part body a Content-Length and streams a body in parts chunked', async () => {
    const { port } = await start(
      httpApp(async (scope, _receive, send) => {
        await send({ type: 'http.response.start', status: 200, headers: [['content-type', 'text/plain']] });
        if (scope.path === '/whole') return send({ type: 'http.response.body', body: Buffer.from('all at once') });
        await send({ type: 'http.response.body', body: Buffer.from('in '), moreBody: true });
        await send({ type: 'http.response.body', body: Buffer.from('parts') });
      }),
    );
    const whole = await rawRequest(port, get('/whole'));
    const parts = await rawRequest(port, get('/parts'));
    expect([whole.framing, whole.header('content-length'), whole.body.toString()]).toEqual(['content-length', '11', 'all at once']);
    expect([parts.framing, parts.body.toString()]).toEqual(['chunked', 'in parts']);
  });

  it('answers an HTTP/1.0 client without chunked encoding and closes the connection', async () => {
    const { port } = await start(
      httpApp(async (scope, _receive, send) => {
        await send({ type: 'http.response.start', status: 200 });
        await send({ type: 'http.response.body', body: Buffer.from(`HTTP/${scope.httpVersion} `), moreBody: true });
        await send({ type: 'http.response.body', body: Buffer.from('streamed') });
      }),
    );
    const response = await rawRequest(port, 'GET / HTTP/1.0\r\n\r\n');
    expect([response.framing, response.body.toString()]).toEqual(['close', 'HTTP/1.0 streamed']);
  });

  it("writes Date, Connection and Keep-Alive after the app's fields, spelt as Node's ServerResponse spells them", async () => {
    const { port } = await start(httpApp(async (_scope, _receive, send) => respond(send, 200, 'ok')));
    /** The first response's head lines after the status line, as sent. */
    const headLines = async (requests: string): Promise<string[]> => {
      const client = await RawClient.connect({ port });
      client.write(requests);
      const [head = ''] = (await client.untilClosed()).toString('latin1').split('\r\n\r\n');
      return head.split('\r\n').slice(1);
    };
    const kept = await headLines(`${get('/')}${get('/', 'Connection: close\r\n')}`);
    expect(kept).toEqual(['content-length: 2', 'server: portico', expect.stringMatching(/^Date: \w{3}, \d\d \w{3} \d{4} [\d:]{8} GMT$/), 'Connection: keep-alive', 'Keep-Alive: timeout=5']);
    const closed = ['content-length', 'server', 'Date', 'Connection: close'];
    const names = (lines: string[]): string[] => lines.map((line) => (line.startsWith('Connection') ? line : line.slice(0, line.indexOf(':'))));
    expect(names(await headLines(get('/', 'Connection: close\r\n')))).toEqual(closed);
    expect(names(await headLines('GET / HTTP/1.0\r\n\r\n'))).toEqual(closed);
  });

  it("adds Date and Server headers, keeps the app's own Server header, and can leave both out", async () => {
    const app = httpApp(async (scope, _receive, send) => respond(send, 200, 'ok', scope.path === '/own' ? [['server', 'mine']] : []));
    const { port } = await start(app);
    const plain = await rawRequest(port, get('/'));
    expect(plain.header('server')).toBe('portico');
    expect(Date.parse(plain.header('date') ?? '')).not.toBeNaN();
    const own = await rawRequest(port, get('/own'));
    expect(own.headers.filter(([name]) => name === 'server')).toEqual([['server', 'mine']]);

    const bare = await start(app, { serverHeader: false, dateHeader: false });
    const response = await rawRequest(bare.port, get('/'));
    expect([response.header('server'), response.header('date')]).toEqual([undefined, undefined]);
  });
});
