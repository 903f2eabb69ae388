/** toFetchHandler in Node 20 with its global Request and Response: streaming, back-pressure, abort, lifespan, bad input. */
import { describe, expect, it } from '@jest/globals';
import type { App, HttpScope } from '@portico/protocol';
import { readBody, respond, respondJson, text, utf8 } from '@portico/protocol/conformance';
import { ConfigError, LifespanStartupError, toFetchHandler } from '@portico/server';
import { deferred, httpApp } from './support/servers';

const quiet = { logLevel: 'critical' } as const;

describe('requests and responses', () => {
  it('gives the app a scope from the Request and answers with a Response', async () => {
    const handler = toFetchHandler(
      httpApp(async (scope, receive, send) => {
        const { body } = await readBody(receive);
        const { method, scheme, path, rawPath, queryString, headers, httpVersion, client } = scope;
        await respondJson(send, { method, scheme, path, rawPath, queryString, headers, httpVersion, client, body: text(body) }, 201);
      }),
      quiet,
    );
    const response = await handler(
      new Request('https://example.com/caf%C3%A9?x=1', { method: 'PUT', headers: { 'X-Two': 'b', 'x-one': 'a' }, body: 'payload' }),
      { remoteAddr: { hostname: '203.0.113.9', port: 4711 } },
    );
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({
      method: 'PUT',
      scheme: 'https',
      path: '/café',
      rawPath: '/caf%C3%A9',
      queryString: 'x=1',
      headers: [['host', 'example.com'], ['content-type', 'text/plain;charset=UTF-8'], ['x-one', 'a'], ['x-two', 'b']],
      httpVersion: '1.1',
      client: { host: '203.0.113.9', port: 4711 },
      body: 'payload',
    });
  });

  it('streams the request body to the app chunk by chunk', async () => {
    const handler = toFetchHandler(
      httpApp(async (_scope, receive, send) => {
        const sizes: number[] = [];
        for (;;) {
          const event = await receive();
          if (event.type !== 'http.request') return;
          sizes.push(event.body.length);
          if (!event.moreBody) break;
        }
        await respondJson(send, sizes);
      }),
      quiet,
    );
    const chunks = [utf8('one'), utf8('three'), utf8('seven!!')];
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(next);
      },
    });
    const response = await handler(new Request('http://localhost/upload', { method: 'POST', body, duplex: 'half' } as RequestInit));
    const sizes = (await response.json()) as number[];
    expect(sizes.filter((size) => size > 0)).toEqual([3, 5, 7]);
  });

  it('streams the response: the first part is readable before the app sends the next', async () => {
    const secondAllowed = deferred();
    const handler = toFetchHandler(
      httpApp(async (_scope, _receive, send) => {
        await send({ type: 'http.response.start', status: 200 });
        await send({ type: 'http.response.body', body: utf8('first '), moreBody: true });
        await secondAllowed.promise;
        await send({ type: 'http.response.body', body: utf8('second') });
      }),
      quiet,
    );
    const response = await handler(new Request('http://localhost/'));
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    expect(text((await reader.read()).value as Uint8Array)).toBe('first ');
    secondAllowed.resolve();
    expect(text((await reader.read()).value as Uint8Array)).toBe('second');
    expect((await reader.read()).done).toBe(true);
  });

  it('holds send while nobody reads the body (back-pressure), then delivers every byte', async () => {
    const part = new Uint8Array(16 * 1024);
    const parts = 64;
    let sent = 0;
    const handler = toFetchHandler(
      httpApp(async (_scope, _receive, send) => {
        await send({ type: 'http.response.start', status: 200 });
        for (let i = 0; i < parts; i++) {
          await send({ type: 'http.response.body', body: part, moreBody: i < parts - 1 });
          sent += part.length;
        }
      }),
      quiet,
    );
    const response = await handler(new Request('http://localhost/large'));
    for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toBeLessThanOrEqual(64 * 1024 + part.length);
    expect((await response.arrayBuffer()).byteLength).toBe(part.length * parts);
    expect(sent).toBe(part.length * parts);
  });

  it('turns request.signal aborting into http.disconnect, and later sends into no-ops', async () => {
    const seen = deferred<{ event: string; sendError: unknown }>();
    const started = deferred();
    const handler = toFetchHandler(
      httpApp(async (_scope, receive, send) => {
        await readBody(receive);
        await send({ type: 'http.response.start', status: 200 });
        await send({ type: 'http.response.body', body: utf8('part'), moreBody: true });
        started.resolve();
        const event = await receive();
        let sendError: unknown = null;
        await send({ type: 'http.response.body', body: utf8('into the void') }).catch((error: unknown) => (sendError = error));
        seen.resolve({ event: event.type, sendError });
      }),
      quiet,
    );
    const controller = new AbortController();
    await handler(new Request('http://localhost/', { signal: controller.signal }));
    await started.promise;
    controller.abort();
    expect(await seen.promise).toEqual({ event: 'http.disconnect', sendError: null });
  });

  it('answers HEAD and 204 with a null body, and 500 when the app fails before responding', async () => {
    const handler = toFetchHandler(
      httpApp(async (scope, receive, send) => {
        await readBody(receive);
        if (scope.path === '/boom') throw new Error('deliberate');
        await respond(send, scope.path === '/204' ? 204 : 200, scope.path === '/204' ? '' : 'body');
      }),
      quiet,
    );
    const head = await handler(new Request('http://localhost/', { method: 'HEAD' }));
    expect([head.status, head.body, head.headers.get('content-length')]).toEqual([200, null, '4']);
    const empty = await handler(new Request('http://localhost/204'));
    expect([empty.status, empty.body]).toEqual([204, null]);
    const failed = await handler(new Request('http://localhost/boom'));
    expect([failed.status, await failed.text()]).toEqual([500, 'Internal Server Error']);
  });
});

describe('lifespan', () => {
  function lifespanApp(events: string[], failStartup = false): App {
    return async (scope, receive, send) => {
      if (scope.type === 'lifespan') {
        events.push((await receive()).type);
        if (failStartup) return send({ type: 'lifespan.startup.failed', message: 'no database' });
        scope.state['ready'] = 'yes';
        await send({ type: 'lifespan.startup.complete' });
        events.push((await receive()).type);
        await send({ type: 'lifespan.shutdown.complete' });
        return;
      }
      if (scope.type !== 'http') return;
      await respond(send as Parameters<typeof respond>[0], 200, String((scope as HttpScope).state['ready']));
    };
  }

  it('runs startup on the first request (once, for concurrent ones), and shutdown when asked', async () => {
    const events: string[] = [];
    const handler = toFetchHandler(lifespanApp(events), quiet);
    expect(events).toEqual([]);
    const responses = await Promise.all([handler(new Request('http://localhost/')), handler(new Request('http://localhost/'))]);
    expect(await Promise.all(responses.map((response) => response.text()))).toEqual(['yes', 'yes']);
    expect(events).toEqual(['lifespan.startup']);
    await handler.shutdown();
    expect(events).toEqual(['lifespan.startup', 'lifespan.shutdown']);
  });

  it('rejects startup() and every request with the app message when startup fails', async () => {
    const handler = toFetchHandler(lifespanApp([], true), quiet);
    await expect(handler.startup()).rejects.toThrow(LifespanStartupError);
    await expect(handler(new Request('http://localhost/'))).rejects.toThrow('no database');
  });
});

describe('bad input', () => {
  it('throws a TypeError for an app that is not a function, and a ConfigError for a wrong option', () => {
    expect(() => toFetchHandler('app' as unknown as App)).toThrow('toFetchHandler needs an app function');
    expect(() => toFetchHandler(httpApp(async () => undefined), { rootPath: 'api/' })).toThrow(ConfigError);
  });

  it('answers 400 for a path whose percent-encoding is not UTF-8, without calling the app', async () => {
    let called = false;
    const handler = toFetchHandler(
      httpApp(async () => {
        called = true;
      }),
      quiet,
    );
    const response = await handler(new Request('http://localhost/%FF'));
    expect([response.status, called]).toEqual([400, false]);
  });
});
