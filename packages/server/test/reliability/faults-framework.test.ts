/**
 * Faults in a framework `App` served by the real `Server` over HTTP: a lifespan that throws, a
 * handler that throws before its response or mid-stream, middleware that throws before or after
 * calling the inner app, a background task that throws, and WebSocket handlers that throw before
 * and after accept. Each gets its documented answer and the server serves the next request.
 */
import { describe, expect, it } from '@jest/globals';
import {
  App, BackgroundTask, HTTPException, Middleware, PlainTextResponse, StreamingResponse, WebSocketRoute,
  type MiddlewareFactory,
} from '@portico/framework';
import { LifespanStartupError, Server } from '@portico/server';
import { RawClient, rawRequest } from '../support/raw-http';
import { deferred, useServers } from '../support/servers';
import { closeOf, HANDSHAKE, opened } from '../support/websockets';

const start = useServers();
const GET = (path: string, extra = ''): string => `GET ${path} HTTP/1.1\r\nHost: test\r\n${extra}\r\n`;

function routes(app: App): App {
  app.get('/ok', () => new PlainTextResponse('ok'));
  app.get('/throws', () => {
    throw new Error('handler exploded');
  });
  app.get('/http-exception', () => {
    throw new HTTPException(418, 'short and stout');
  });
  app.get('/stream', () => {
    async function* parts(): AsyncGenerator<string> {
      yield 'first chunk;';
      throw new Error('stream exploded');
    }
    return new StreamingResponse(parts(), { mediaType: 'text/plain' });
  });
  return app;
}

async function expectStillServing(port: number): Promise<void> {
  const response = await rawRequest(port, GET('/ok'));
  expect(response.status).toBe(200);
  expect(response.body.toString()).toBe('ok');
}

describe('lifespan', () => {
  it('refuses to start with the message when the App lifespan throws', async () => {
    const app = routes(new App({ lifespan: () => Promise.reject(new Error('cannot open the database')) }));
    const logs: string[] = [];
    const server = new Server(app, { port: 0, useColors: false, logStream: { write: (line) => logs.push(line) } });
    await expect(server.start()).rejects.toThrow(LifespanStartupError);
    expect(logs.join('')).toMatch(/Application startup failed: (Error: )?cannot open the database/);
    expect(() => server.address).toThrow(/not listening/);
  });

  it('stops, rejecting close() with the message, when the App lifespan cleanup throws', async () => {
    const app = routes(new App({ lifespan: () => ({ state: {}, cleanup: () => Promise.reject(new Error('flush failed')) }) }));
    const { server, port } = await start(app);
    await expectStillServing(port);
    await expect(server.close()).rejects.toThrow(/Application shutdown failed: (Error: )?flush failed/);
    await expect(server.closed).resolves.toBeUndefined();
  });
});

describe('handlers', () => {
  it('answers 500 to a handler that throws, logs the error, and serves on', async () => {
    const { port, logs } = await start(routes(new App()));
    const response = await rawRequest(port, GET('/throws'));
    expect(response.status).toBe(500);
    expect(response.body.toString()).toBe('Internal Server Error');
    expect(logs.join('\n')).toMatch(/Exception in app while handling "GET \/throws HTTP\/1\.1"[^]*handler exploded/);
    await expectStillServing(port);
  });

  it('answers an HTTPException with its status, logging nothing as an error', async () => {
    const { port, logs } = await start(routes(new App()));
    expect((await rawRequest(port, GET('/http-exception'))).status).toBe(418);
    expect(logs.join('\n')).not.toMatch(/ERROR/);
  });

  it('cuts a streaming response after the chunk already sent when its iterator throws', async () => {
    const { port, logs } = await start(routes(new App()));
    const client = await RawClient.connect({ port });
    client.write(GET('/stream'));
    await expect(client.readResponse()).rejects.toThrow(/closed before a complete response/);
    expect(client.pending.toString('latin1')).toMatch(/^HTTP\/1\.1 200 [^]*first chunk;\r\n$/);
    expect(logs.join('\n')).toMatch(/stream exploded/);
    await expectStillServing(port);
  });
});

describe('middleware', () => {
  const throwing = (where: 'before' | 'after'): MiddlewareFactory<Record<string, never>> => (app) =>
    async function throwingMiddleware(scope, receive, send) {
      if (scope.type !== 'http' || scope.path === '/ok') return app(scope, receive, send);
      if (where === 'before') throw new Error('middleware exploded before the app');
      await app(scope, receive, send);
      throw new Error('middleware exploded after the app');
    };

  it('answers 500 when protocol middleware throws before calling the app', async () => {
    const { port, logs } = await start(routes(new App({ middleware: [new Middleware(throwing('before'), {})] })));
    expect((await rawRequest(port, GET('/anything'))).status).toBe(500);
    expect(logs.join('\n')).toMatch(/middleware exploded before the app/);
    await expectStillServing(port);
  });

  it('keeps the complete response when protocol middleware throws after the app answered, and logs the error', async () => {
    const { port, logs } = await start(routes(new App({ middleware: [new Middleware(throwing('after'), {})] })));
    const response = await rawRequest(port, GET('/http-exception'));
    expect(response.status).toBe(418);
    expect(response.body.toString()).toBe('short and stout');
    expect(logs.join('\n')).toMatch(/middleware exploded after the app/);
    await expectStillServing(port);
  });

  it('answers 500 when a (request, next) middleware throws before or after next()', async () => {
    const app = routes(new App());
    app.use(async (request, next) => {
      if (request.url.path === '/ok') return next();
      if (request.headers.get('x-when') === 'before') throw new Error('request middleware exploded before next');
      await next();
      throw new Error('request middleware exploded after next');
    });
    const { port, logs } = await start(app);
    expect((await rawRequest(port, GET('/http-exception', 'x-when: before\r\n'))).status).toBe(500);
    // next() resolved with the inner response, but nothing was sent yet: the client gets a 500, not the 418.
    expect((await rawRequest(port, GET('/http-exception', 'x-when: after\r\n'))).status).toBe(500);
    expect(logs.join('\n')).toMatch(/request middleware exploded before next[^]*request middleware exploded after next/);
    await expectStillServing(port);
  });
});

describe('background tasks', () => {
  it('sends the whole response, then logs the task that failed; the next request is served', async () => {
    const ran = deferred();
    const app = routes(new App());
    app.get('/with-task', () => {
      const task = new BackgroundTask(() => {
        ran.resolve();
        throw new Error('the e-mail service is down');
      });
      return new PlainTextResponse('accepted', { status: 202, background: task });
    });
    const { port, logs } = await start(app);
    const response = await rawRequest(port, GET('/with-task'));
    expect(response.status).toBe(202);
    expect(response.body.toString()).toBe('accepted');
    await ran.promise;
    await expectStillServing(port);
    expect(logs.join('\n')).toMatch(/ERROR: [^]*the e-mail service is down/);
    expect(logs.join('\n')).toMatch(/"GET \/with-task HTTP\/1\.1" 202/);
  });
});

describe('websockets', () => {
  function websocketApp(): App {
    return routes(
      new App({
        routes: [
          new WebSocketRoute('/before', () => {
            throw new Error('ws handler exploded before accept');
          }),
          new WebSocketRoute('/after', async (websocket) => {
            await websocket.accept();
            await websocket.receiveText();
            throw new Error('ws handler exploded after accept');
          }),
        ],
      }),
    );
  }

  it('refuses the handshake with 500 when the handler throws before accept', async () => {
    const { port, logs } = await start(websocketApp());
    const client = await RawClient.connect({ port });
    client.write(HANDSHAKE('/before'));
    const response = await client.readResponse();
    client.close();
    expect(response.status).toBe(500);
    expect(logs.join('\n')).toMatch(/ws handler exploded before accept/);
    await expectStillServing(port);
  });

  it('refuses with 403 a websocket no route takes', async () => {
    const { port } = await start(websocketApp());
    const client = await RawClient.connect({ port });
    client.write(HANDSHAKE('/nowhere'));
    const response = await client.readResponse();
    client.close();
    expect(response.status).toBe(403);
  });

  it('closes with 1011 when the handler throws after accept', async () => {
    const { port, url, logs } = await start(websocketApp());
    const ws = await opened(`${url}/after`);
    const closed = closeOf(ws);
    ws.send('hello');
    expect((await closed).code).toBe(1011);
    expect(logs.join('\n')).toMatch(/ws handler exploded after accept/);
    await expectStillServing(port);
  });
});
