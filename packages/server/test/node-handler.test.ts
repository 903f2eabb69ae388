/** toNodeHandler inside Express and node:http, and fromNodeHandler: an Express app mounted inside a framework App. */
import { createServer, get, type ServerResponse, type Server as HttpServer } from 'node:http';
import { afterEach, describe, expect, it } from '@jest/globals';
import express, { type NextFunction, type Request as ExpressRequest, type Response as ExpressResponse } from 'express';
import { App, JSONResponse, Mount, Route } from '@portico/framework';
import type { HttpScope } from '@portico/protocol';
import { readBody, respond, respondJson } from '@portico/protocol/conformance';
import { fromNodeHandler, toNodeHandler } from '@portico/server';
import { connectHttp2, requestOverHttp2 } from './support/http2-client';
import { deferred, httpApp, useServers } from './support/servers';

const quiet = { logLevel: 'critical' } as const;
const listening: HttpServer[] = [];
afterEach(async () => {
  await Promise.all(
    listening.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
});

async function listen(server: HttpServer): Promise<string> {
  listening.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

const scopeEcho = httpApp(async (scope, receive, send) => {
  const { body } = await readBody(receive);
  const { rootPath, path, rawPath, queryString, scheme, httpVersion } = scope;
  await respondJson(send, { rootPath, path, rawPath, queryString, scheme, httpVersion, body: Buffer.from(body).toString() });
});

describe('toNodeHandler', () => {
  it('mounts in Express under a prefix: the prefix becomes rootPath, the rest path', async () => {
    const server = express();
    server.use((_req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
      res.setHeader('x-middleware', 'ran first'); // a header set before the app answers is kept
      next();
    });
    server.use('/portico', toNodeHandler(scopeEcho, quiet));
    server.get('/express', (_req, res) => void res.send('still Express'));
    const origin = await listen(createServer(server));
    const response = await fetch(`${origin}/portico/caf%C3%A9/items?page=2`, { method: 'POST', body: 'sent' });
    expect(response.headers.get('x-middleware')).toBe('ran first');
    expect(await response.json()).toEqual({
      rootPath: '/portico',
      path: '/café/items',
      rawPath: '/portico/caf%C3%A9/items',
      queryString: 'page=2',
      scheme: 'http',
      httpVersion: '1.1',
      body: 'sent',
    });
    expect(await (await fetch(`${origin}/express`)).text()).toBe('still Express');
  });

  it("answers inside Express with X-Powered-By on: the app's fields keep their repeats and win over preset ones", async () => {
    const server = express(); // 'x-powered-by' is on by default: Express sets it before any handler runs
    server.use((_req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
      res.setHeader('x-replaced', 'by middleware');
      next();
    });
    server.use(
      toNodeHandler(
        httpApp(async (_scope, _receive, send) => {
          const headers: [string, string][] = [['set-cookie', 'a=1'], ['set-cookie', 'b=2'], ['x-replaced', 'by the app']];
          await send({ type: 'http.response.start', status: 201, headers });
          await send({ type: 'http.response.body', body: Buffer.from('made') });
        }),
        quiet,
      ),
    );
    const response = await fetch(`${await listen(createServer(server))}/`);
    expect([response.status, await response.text()]).toEqual([201, 'made']);
    expect(response.headers.get('x-powered-by')).toBe('Express');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(response.headers.get('x-replaced')).toBe('by the app');
  });

  it('is a plain http.createServer listener too, and hands a failed startup to next() or answers 500', async () => {
    const failing = toNodeHandler(async (scope, receive, send) => {
      if (scope.type !== 'lifespan') return;
      await receive();
      await send({ type: 'lifespan.startup.failed', message: 'no database' });
    }, quiet);
    const plain = await listen(createServer(failing));
    expect((await fetch(plain)).status).toBe(500);
    const seen = deferred<string>();
    const server = express();
    server.use(failing);
    server.use((error: Error, _req: ExpressRequest, res: ExpressResponse, _next: NextFunction) => {
      seen.resolve(error.message);
      res.status(503).send('handled by Express');
    });
    const viaExpress = await listen(createServer(server));
    expect((await fetch(viaExpress)).status).toBe(503);
    expect(await seen.promise).toMatch(/no database/);
  });

  it('throws a TypeError for an app that is not a function', () => {
    expect(() => toNodeHandler(undefined as never)).toThrow('toNodeHandler needs an app function');
  });
});

describe('fromNodeHandler', () => {
  const start = useServers();

  function legacyExpress(): express.Express {
    const legacy = express();
    legacy.use(express.json());
    legacy.get('/users/:id', (req, res) => {
      res.json({ id: req.params['id'], url: req.url, baseUrl: req.baseUrl, originalUrl: req.originalUrl, ip: req.ip, protocol: req.protocol });
    });
    legacy.post('/echo', (req, res) => void res.status(201).json({ received: req.body as unknown }));
    legacy.get('/stream', (_req, res) => {
      res.write('one,');
      setImmediate(() => res.end('two'));
    });
    legacy.get('/throws', () => {
      throw new Error('express route failed');
    });
    return legacy;
  }

  it('serves an Express app mounted inside a framework App, next to Portico routes', async () => {
    const app = new App({
      routes: [new Route('/new', () => new JSONResponse({ from: 'portico' })), new Mount('/legacy', fromNodeHandler(legacyExpress()))],
    });
    const { url } = await start(app, quiet);
    expect(await (await fetch(`${url}/new`)).json()).toEqual({ from: 'portico' });
    expect(await (await fetch(`${url}/legacy/users/7?x=1`)).json()).toEqual({
      id: '7',
      url: '/users/7?x=1',
      baseUrl: '/legacy',
      originalUrl: '/legacy/users/7?x=1',
      ip: '127.0.0.1',
      protocol: 'http',
    });
    const posted = await fetch(`${url}/legacy/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":[1,2]}' });
    expect([posted.status, await posted.json()]).toEqual([201, { received: { a: [1, 2] } }]);
    expect(await (await fetch(`${url}/legacy/stream`)).text()).toBe('one,two');
    expect((await fetch(`${url}/legacy/missing`)).status).toBe(404);
    expect((await fetch(`${url}/legacy/throws`)).status).toBe(500);
  });

  it('serves an Express app over HTTP/2: the Express side speaks HTTP/1.1 in memory', async () => {
    const { url } = await start(fromNodeHandler(legacyExpress()), { ...quiet, http: '2' });
    const session = await connectHttp2(url);
    try {
      const response = await requestOverHttp2(session, { method: 'GET', target: '/users/9' });
      expect(JSON.parse(Buffer.from(response.body).toString())).toMatchObject({ id: '9', url: '/users/9', baseUrl: '' });
    } finally {
      session.destroy();
    }
  });

  it('tells the Express side when the Portico client leaves, and logs no error for it', async () => {
    const closed = deferred<boolean>();
    const listener = (_req: unknown, res: ServerResponse): void => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('waiting for the client to leave');
      res.once('close', () => closed.resolve(res.writableFinished));
    };
    const { url, server, logs } = await start(fromNodeHandler(listener), { logLevel: 'error' });
    const req = get(url);
    req.on('error', () => undefined);
    req.on('response', (response) => response.once('data', () => req.destroy()));
    expect(await closed.promise).toBe(false);
    await server.close(); // waits for the app to return
    expect(logs).toEqual([]); // the connection torn down on purpose is no app failure
  });

  it('answers 500 and serves on when the listener throws, and rejects what is not a listener', async () => {
    let calls = 0;
    const { url, logs } = await start(
      fromNodeHandler((_req, res) => {
        if (++calls === 1) throw new Error('listener failed');
        res.end('recovered');
      }),
      { logLevel: 'error' },
    );
    expect((await fetch(url)).status).toBe(500);
    expect(logs.join('\n')).toContain('listener failed');
    expect(await (await fetch(url)).text()).toBe('recovered');
    expect(() => fromNodeHandler('express' as never)).toThrow('fromNodeHandler needs a (req, res) request listener');
  });

  it('round-trips through both adapters: a Portico app in Express in a Portico server', async () => {
    const inner = httpApp(async (scope: HttpScope, receive, send) => {
      await readBody(receive);
      await respond(send, 200, `${scope.rootPath}|${scope.path}`);
    });
    const outer = express();
    outer.use('/inner', toNodeHandler(inner, quiet));
    const { url } = await start(fromNodeHandler(outer), quiet);
    expect(await (await fetch(`${url}/inner/deep/path`)).text()).toBe('/inner|/deep/path');
  });
});
