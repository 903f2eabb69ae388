import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from '@jest/globals';
import type { ProtocolError } from '../errors';
import { channels } from '../channels';
import { guard } from '../guard';
import type { App, HeaderList } from '../types';
import { deferred, readBody, respond, respondJson, text, utf8, type HttpHandler } from './apps';
import { IncompleteResponseError } from './incomplete-response';
import type { HostCapabilities, RunningHost, StartHost } from './types';

const header = (headers: HeaderList, name: string): string[] => headers.filter(([n]) => n === name).map(([, v]) => v);

/**
 * The HTTP part of the suite. One host serves a dispatcher app for the whole file; each test
 * installs its own handler. The app runs under `guard`, so a host that builds a bad scope or
 * delivers events out of order fails the test that saw it.
 */
export function httpConformance(startHost: StartHost, capabilities: HostCapabilities): void {
  let host: RunningHost;
  let handler: HttpHandler;
  let violations: ProtocolError[] = [];

  const dispatcher: App = async (scope, receive, send) => {
    if (scope.type === 'http') {
      const http = channels(scope, receive, send);
      return handler(scope, http.receive, http.send);
    }
    if (scope.type === 'lifespan') {
      await receive();
      await send({ type: 'lifespan.startup.complete' });
      await receive();
      await send({ type: 'lifespan.shutdown.complete' });
    }
  };

  beforeAll(async () => {
    host = await startHost(guard(dispatcher, { onViolation: (error) => violations.push(error) }), {});
  });
  afterAll(async () => host?.close());
  beforeEach(() => {
    violations = [];
  });
  const expectNoViolations = (): void => expect(violations.map((v) => v.message)).toEqual([]);

  it('delivers method, version, scheme and gateway info in the scope', async () => {
    handler = async (scope, receive, send) => {
      await readBody(receive);
      const { method, httpVersion, scheme, gateway, type } = scope;
      await respondJson(send, { type, method, httpVersion, scheme, gateway });
    };
    const response = await host.request({ method: 'DELETE', target: '/scope' });
    const seen = JSON.parse(text(response.body)) as Record<string, unknown>;
    expect(seen).toMatchObject({ type: 'http', method: 'DELETE', scheme: 'http', gateway: { version: '1.0' } });
    expect(['1.0', '1.1', '2']).toContain(seen['httpVersion']);
    expectNoViolations();
  });

  it('round-trips status and headers: names lower-cased, repeats and order kept', async () => {
    handler = async (scope, receive, send) => {
      await readBody(receive);
      const mine = scope.headers.filter(([name]) => name.startsWith('x-'));
      await send({
        type: 'http.response.start',
        status: 299,
        headers: [['x-out', 'first'], ['content-type', 'application/json'], ['x-out', 'second']],
      });
      await send({ type: 'http.response.body', body: utf8(JSON.stringify(mine)) });
    };
    const response = await host.request({
      method: 'GET',
      target: '/headers',
      headers: [['X-Repeat', 'one'], ['X-Mixed-Case', 'Value'], ['X-Repeat', 'two']],
    });
    expect(response.status).toBe(299);
    expect(header(response.headers, 'x-out')).toEqual(capabilities.responseHeaders === 'joined' ? ['first, second'] : ['first', 'second']);
    const seen = JSON.parse(text(response.body)) as HeaderList;
    if (capabilities.requestHeaders === 'cgi') {
      expect(new Map(seen)).toEqual(new Map([['x-repeat', 'one, two'], ['x-mixed-case', 'Value']]));
    } else {
      expect(seen).toEqual([['x-repeat', 'one'], ['x-mixed-case', 'Value'], ['x-repeat', 'two']]);
    }
    expectNoViolations();
  });

  it('delivers an empty body as one http.request with moreBody false', async () => {
    const seen = deferred<{ events: number; length: number }>();
    handler = async (_scope, receive, send) => {
      const { body, events } = await readBody(receive);
      seen.resolve({ events, length: body.length });
      await respond(send, 200, 'ok');
    };
    const response = await host.request({ method: 'GET', target: '/empty' });
    expect(text(response.body)).toBe('ok');
    expect(await seen.promise).toEqual({ events: 1, length: 0 });
    expectNoViolations();
  });

  it('streams a chunked request body to the app and loses no byte', async () => {
    handler = async (_scope, receive, send) => {
      const { body } = await readBody(receive);
      await respond(send, 200, body, [['content-type', 'application/octet-stream']]);
    };
    const chunks = [0, 1, 2, 3].map((n) => Buffer.alloc(64 * 1024 + n, 97 + n));
    const response = await host.request({ method: 'POST', target: '/echo', body: chunks });
    expect(Buffer.compare(Buffer.from(response.body), Buffer.concat(chunks))).toBe(0);
    expectNoViolations();
  });

  it('streams a response sent in moreBody parts', async () => {
    handler = async (_scope, receive, send) => {
      await readBody(receive);
      await send({ type: 'http.response.start', status: 200, headers: [['content-type', 'text/plain']] });
      for (const part of ['one ', 'two ', 'three']) await send({ type: 'http.response.body', body: utf8(part), moreBody: true });
      await send({ type: 'http.response.body' });
    };
    const response = await host.request({ method: 'GET', target: '/stream' });
    expect(text(response.body)).toBe('one two three');
    expectNoViolations();
  });

  it('carries a large response with back-pressure and loses no byte', async () => {
    const part = Buffer.alloc(64 * 1024, 120);
    handler = async (_scope, receive, send) => {
      await readBody(receive);
      await send({ type: 'http.response.start', status: 200, headers: [['content-length', String(part.length * 64)]] });
      for (let i = 0; i < 64; i++) await send({ type: 'http.response.body', body: part, moreBody: i < 63 });
    };
    const response = await host.request({ method: 'GET', target: '/large' });
    expect(response.body.length).toBe(part.length * 64);
    expectNoViolations();
  });

  it('sends empty bodies: 204 and an empty 200', async () => {
    handler = async (scope, receive, send) => {
      await readBody(receive);
      await send({ type: 'http.response.start', status: scope.path === '/204' ? 204 : 200 });
      await send({ type: 'http.response.body' });
    };
    const noContent = await host.request({ method: 'GET', target: '/204' });
    expect([noContent.status, noContent.body.length]).toEqual([204, 0]);
    const empty = await host.request({ method: 'GET', target: '/200' });
    expect([empty.status, empty.body.length]).toEqual([200, 0]);
    expectNoViolations();
  });

  it('answers HEAD without a body and keeps Content-Length', async () => {
    handler = async (scope, receive, send) => {
      await readBody(receive);
      await respond(send, 200, `method was ${scope.method}`);
    };
    const response = await host.request({ method: 'HEAD', target: '/head' });
    expect(response.status).toBe(200);
    expect(response.body.length).toBe(0);
    expect(header(response.headers, 'content-length')).toEqual([String('method was HEAD'.length)]);
    expectNoViolations();
  });

  it('decodes path but keeps rawPath and queryString as sent (unicode, %2F)', async () => {
    handler = async (scope, receive, send) => {
      await readBody(receive);
      await respondJson(send, { path: scope.path, rawPath: scope.rawPath, queryString: scope.queryString, rootPath: scope.rootPath });
    };
    const response = await host.request({ method: 'GET', target: '/caf%C3%A9/a%2Fb?q=%C3%A9t%C3%A9&x=%2F&flag' });
    expect(JSON.parse(text(response.body))).toEqual({
      path: '/café/a/b',
      rawPath: '/caf%C3%A9/a%2Fb',
      queryString: 'q=%C3%A9t%C3%A9&x=%2F&flag',
      rootPath: '',
    });
    expectNoViolations();
  });

  it(capabilities.addresses === false ? 'leaves client and server null when the transport has no addresses' : 'fills client and server addresses', async () => {
    handler = async (scope, receive, send) => {
      await readBody(receive);
      await respondJson(send, { client: scope.client, server: scope.server });
    };
    const seen = JSON.parse(text((await host.request({ method: 'GET', target: '/addresses' })).body)) as Record<string, unknown>;
    if (capabilities.addresses === false) {
      expect(seen).toEqual({ client: null, server: null });
    } else {
      const address = { host: expect.any(String), port: expect.any(Number) };
      expect(seen).toEqual({ client: address, server: address });
    }
    expectNoViolations();
  });

  it('answers 500 when the app throws before http.response.start, and keeps serving', async () => {
    handler = async (scope, receive, send) => {
      await readBody(receive);
      if (scope.path === '/boom') throw new Error('conformance: deliberate failure');
      await respond(send, 200, 'still here');
    };
    const failed = await host.request({ method: 'GET', target: '/boom' });
    expect(failed.status).toBe(500);
    expect(text(failed.body)).not.toContain('deliberate failure');
    const next = await host.request({ method: 'GET', target: '/after' });
    expect(text(next.body)).toBe('still here');
    expectNoViolations();
  });

  it('answers 500 when the app returns without starting a response', async () => {
    handler = async (_scope, receive) => {
      await readBody(receive);
    };
    const response = await host.request({ method: 'GET', target: '/silent' });
    expect(response.status).toBe(500);
  });

  /** SPEC 2.3: the client gets the head and every byte sent, and can tell the response is not whole. */
  const expectCutAfter = async (target: string, sent: string, declaredLength: boolean): Promise<void> => {
    const outcome = await host.request({ method: 'GET', target }).then(
      (response) => ({ whole: response }),
      (error: unknown) => ({ cut: error }),
    );
    if ('whole' in outcome) {
      // Only where nothing on the wire can say so: a CGI response without a Content-Length.
      if (capabilities.cutResponse === 'partial-with-length' && !declaredLength) return void expect(text(outcome.whole.body)).toBe(sent);
      throw new Error(`a broken-off response arrived as complete: ${outcome.whole.status} ${JSON.stringify(text(outcome.whole.body))}`);
    }
    if (capabilities.cutResponse === 'error') return;
    expect(outcome.cut).toBeInstanceOf(IncompleteResponseError);
    const { response } = outcome.cut as IncompleteResponseError;
    expect([response.status, text(response.body)]).toEqual([200, sent]);
  };

  const expectServing = async (): Promise<void> => {
    handler = async (_scope, receive, send) => {
      await readBody(receive);
      await respond(send, 200, 'recovered');
    };
    expect(text((await host.request({ method: 'GET', target: '/after-cut' })).body)).toBe('recovered');
  };

  it('cuts the response off when the app throws after http.response.start, after the bytes it sent', async () => {
    handler = async (_scope, receive, send) => {
      await readBody(receive);
      await send({ type: 'http.response.start', status: 200, headers: [['content-type', 'text/plain']] });
      await send({ type: 'http.response.body', body: utf8('partial'), moreBody: true });
      throw new Error('conformance: failure mid-body');
    };
    await expectCutAfter('/cut', 'partial', false);
    await expectServing();
  });

  it('cuts the response off when the app throws mid-body under a Content-Length, after the bytes it sent', async () => {
    handler = async (_scope, receive, send) => {
      await readBody(receive);
      await send({ type: 'http.response.start', status: 200, headers: [['content-length', '100']] });
      await send({ type: 'http.response.body', body: utf8('partial'), moreBody: true });
      throw new Error('conformance: failure mid-body');
    };
    await expectCutAfter('/cut-length', 'partial', true);
    await expectServing();
  });

  it('cuts the response off when the app returns with its body open, after the bytes it sent', async () => {
    handler = async (_scope, receive, send) => {
      await readBody(receive);
      await send({ type: 'http.response.start', status: 200, headers: [['content-length', '10']] });
      await send({ type: 'http.response.body', body: utf8('parti'), moreBody: true });
    };
    await expectCutAfter('/cut-return', 'parti', true);
    await expectServing();
  });

  if (capabilities.disconnect !== false) {
    it('delivers http.disconnect when the client leaves, and send then resolves without throwing', async () => {
      const firstChunkSent = deferred();
      const outcome = deferred<{ event: string; sendError: unknown }>();
      handler = async (_scope, receive, send) => {
        await readBody(receive);
        await send({ type: 'http.response.start', status: 200, headers: [['content-type', 'text/plain']] });
        await send({ type: 'http.response.body', body: utf8('first'), moreBody: true });
        firstChunkSent.resolve();
        const event = await receive();
        let sendError: unknown = null;
        try {
          await send({ type: 'http.response.body', body: utf8('into the void'), moreBody: true });
          await send({ type: 'http.response.body' });
        } catch (error) {
          sendError = error;
        }
        outcome.resolve({ event: event.type, sendError });
      };
      const controller = new AbortController();
      const request = host.request({ method: 'GET', target: '/leave', signal: controller.signal });
      await firstChunkSent.promise;
      await new Promise((resolve) => setTimeout(resolve, 20));
      controller.abort();
      await expect(request).rejects.toThrow();
      expect(await outcome.promise).toEqual({ event: 'http.disconnect', sendError: null });
    });
  }

  it(capabilities.trailers ? 'sends trailers after the body' : 'does not list the trailers extension', async () => {
    handler = async (scope, receive, send) => {
      await readBody(receive);
      if (!('http.response.trailers' in scope.extensions)) return respond(send, 200, 'no trailers');
      await send({ type: 'http.response.start', status: 200, headers: [['trailer', 'x-checksum']], trailers: true });
      await send({ type: 'http.response.body', body: utf8('with trailers') });
      await send({ type: 'http.response.trailers', headers: [['x-checksum', 'abc123']] });
    };
    const response = await host.request({ method: 'GET', target: '/trailers', headers: [['te', 'trailers']] });
    if (capabilities.trailers) {
      expect(text(response.body)).toBe('with trailers');
      expect(response.trailers).toEqual([['x-checksum', 'abc123']]);
    } else {
      expect(text(response.body)).toBe('no trailers');
    }
    expectNoViolations();
  });

  it(capabilities.pathsend ? 'streams a file for http.response.pathsend' : 'does not list the pathsend extension', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portico-conformance-'));
    const file = join(dir, 'file.txt');
    const content = 'pathsend '.repeat(20_000);
    writeFileSync(file, content);
    try {
      handler = async (scope, receive, send) => {
        await readBody(receive);
        if (!('http.response.pathsend' in scope.extensions)) return respond(send, 200, 'no pathsend');
        await send({ type: 'http.response.start', status: 200, headers: [['content-length', String(content.length)]] });
        await send({ type: 'http.response.pathsend', path: file });
      };
      const response = await host.request({ method: 'GET', target: '/pathsend' });
      expect(text(response.body)).toBe(capabilities.pathsend ? content : 'no pathsend');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expectNoViolations();
  });

  it(capabilities.earlyHints ? 'accepts http.response.early_hint before the response' : 'does not list the early hints extension', async () => {
    handler = async (scope, receive, send) => {
      await readBody(receive);
      const listed = 'http.response.early_hint' in scope.extensions;
      if (listed) await send({ type: 'http.response.early_hint', links: ['</style.css>; rel=preload; as=style'] });
      await respond(send, 200, listed ? 'hinted' : 'no hints');
    };
    const response = await host.request({ method: 'GET', target: '/hints' });
    expect(response.status).toBe(200);
    expect(text(response.body)).toBe(capabilities.earlyHints ? 'hinted' : 'no hints');
    expectNoViolations();
  });
}
