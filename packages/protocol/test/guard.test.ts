import { describe, expect, it } from '@jest/globals';
import {
  AppHarness,
  guard,
  httpScope,
  lifespanScope,
  ProtocolError,
  RULES,
  websocketScope,
  type App,
  type ReceiveEvent,
  type RuleId,
  type Scope,
  type SendEvent,
} from '@portico/protocol';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const request: ReceiveEvent = { type: 'http.request', body: new Uint8Array(), moreBody: false };
const start: SendEvent = { type: 'http.response.start', status: 200 };
const body: SendEvent = { type: 'http.response.body', body: bytes('ok') };
const allExtensions = {
  'http.response.trailers': {},
  'http.response.pathsend': {},
  'http.response.early_hint': {},
  'websocket.http.response': {},
};

/** An app that sends these events in order and then returns. */
const sends =
  (...events: unknown[]): App =>
  async (_scope, _receive, send) => {
    for (const event of events) await send(event as SendEvent);
  };

/** Run `app` under the guard with these host events; resolve with the error it ends with. */
async function run(app: App, scope: Scope = httpScope(), inputs: unknown[] = []): Promise<unknown> {
  const harness = new AppHarness(guard(app), scope);
  for (const input of inputs) harness.sendInput(input as ReceiveEvent);
  return harness.wait().then(
    () => undefined,
    (error: unknown) => error,
  );
}

const covered = new Set<string>();

async function expectRule(rule: RuleId, app: App, scope?: Scope, inputs?: unknown[]): Promise<void> {
  covered.add(rule);
  const error = await run(app, scope, inputs);
  expect(error).toBeInstanceOf(ProtocolError);
  expect((error as ProtocolError).rule).toBe(rule);
  expect((error as ProtocolError).message).toContain(rule);
}

describe('guard: apps that keep the rules', () => {
  it('passes a complete response through unchanged', async () => {
    const harness = new AppHarness(guard(sends(start, body)), httpScope());
    expect(await harness.receiveOutput()).toEqual(start);
    expect(await harness.receiveOutput()).toEqual(body);
    await harness.wait();
  });

  it('lets a streamed response with trailers through when the host offers them', async () => {
    const app = sends(
      { type: 'http.response.start', status: 200, trailers: true },
      { type: 'http.response.body', body: bytes('a'), moreBody: true },
      { type: 'http.response.body' },
      { type: 'http.response.trailers', headers: [['x-sum', '1']] },
    );
    expect(await run(app, httpScope({ extensions: allExtensions }))).toBeUndefined();
  });

  it('accepts a websocket session and a lifespan cycle in order', async () => {
    const ws: App = async (_scope, receive, send) => {
      await receive();
      await send({ type: 'websocket.accept', subprotocol: 'chat' });
      await send({ type: 'websocket.send', text: 'hi' });
      await send({ type: 'websocket.close', code: 1000 });
    };
    expect(await run(ws, websocketScope(), [{ type: 'websocket.connect' }])).toBeUndefined();
    const lifespan: App = async (_scope, receive, send) => {
      await receive();
      await send({ type: 'lifespan.startup.complete' });
      await receive();
      await send({ type: 'lifespan.shutdown.complete' });
    };
    expect(await run(lifespan, lifespanScope(), [{ type: 'lifespan.startup' }, { type: 'lifespan.shutdown' }])).toBeUndefined();
  });
});

describe('guard: one test per rule', () => {
  it('scope.shape: a host that builds a bad scope', async () => {
    await expectRule('scope.shape', sends(start, body), { ...httpScope(), headers: [['Host', 'x']] });
  });

  it('event.unknown-type: a websocket event in an http scope', async () => {
    await expectRule('event.unknown-type', sends({ type: 'websocket.send', text: 'x' }));
  });

  it('event.shape: an ASGI-style snake_case key', async () => {
    await expectRule('event.shape', sends(start, { type: 'http.response.body', body: bytes('x'), more_body: true }));
  });

  it('event.shape: a string body where bytes are required', async () => {
    await expectRule('event.shape', sends(start, { type: 'http.response.body', body: 'text' }));
  });

  it('event.shape: upper-case or CRLF-carrying response headers', async () => {
    await expectRule('event.shape', sends({ type: 'http.response.start', status: 200, headers: [['Content-Type', 'x']] }));
    await expectRule('event.shape', sends({ type: 'http.response.start', status: 200, headers: [['x-a', 'a\r\nset-cookie: b']] }));
  });

  it('app.send-after-return: a send that outlives the app', async () => {
    let late: (() => Promise<void>) | undefined;
    const app: App = async (_scope, _receive, send) => {
      await send(start);
      await send(body);
      late = () => send(body);
    };
    expect(await run(app)).toBeUndefined();
    covered.add('app.send-after-return');
    await expect(late!()).rejects.toMatchObject({ rule: 'app.send-after-return' });
  });

  it('http.request-after-end: a host that sends body after the end', async () => {
    const app: App = async (_scope, receive, send) => {
      await receive();
      await receive();
      await send(start);
      await send(body);
    };
    await expectRule('http.request-after-end', app, httpScope(), [request, request]);
  });

  it('http.start-twice', async () => {
    await expectRule('http.start-twice', sends(start, start));
  });

  it('http.body-before-start', async () => {
    await expectRule('http.body-before-start', sends(body));
  });

  it('http.body-after-end', async () => {
    await expectRule('http.body-after-end', sends(start, body, body));
  });

  it('http.trailers-not-announced', async () => {
    const scope = httpScope({ extensions: allExtensions });
    await expectRule('http.trailers-not-announced', sends(start, body, { type: 'http.response.trailers' }), scope);
  });

  it('http.trailers-before-body-end', async () => {
    const app = sends({ type: 'http.response.start', status: 200, trailers: true }, { type: 'http.response.trailers' });
    await expectRule('http.trailers-before-body-end', app, httpScope({ extensions: allExtensions }));
  });

  it('http.early-hint-after-start', async () => {
    const app = sends(start, { type: 'http.response.early_hint', links: ['</a.css>; rel=preload'] });
    await expectRule('http.early-hint-after-start', app, httpScope({ extensions: allExtensions }));
  });

  it('http.extension-missing: pathsend on a host without it', async () => {
    await expectRule('http.extension-missing', sends(start, { type: 'http.response.pathsend', path: '/etc/hostname' }));
  });

  it('http.incomplete-response: returning without a response, or with the body open', async () => {
    await expectRule('http.incomplete-response', sends());
    await expectRule('http.incomplete-response', sends(start, { type: 'http.response.body', moreBody: true }));
  });

  it('websocket.connect-first: a host that skips websocket.connect', async () => {
    const app: App = async (_scope, receive) => {
      await receive();
    };
    await expectRule('websocket.connect-first', app, websocketScope(), [{ type: 'websocket.receive', text: 'x' }]);
  });

  it('websocket.event-after-disconnect: a host that goes on after the disconnect', async () => {
    const app: App = async (_scope, receive) => {
      await receive();
      await receive();
      await receive();
    };
    const inputs = [{ type: 'websocket.connect' }, { type: 'websocket.disconnect', code: 1000, reason: '' }, { type: 'websocket.receive', text: 'x' }];
    await expectRule('websocket.event-after-disconnect', app, websocketScope(), inputs);
  });

  it('websocket.send-before-accept', async () => {
    await expectRule('websocket.send-before-accept', sends({ type: 'websocket.send', text: 'x' }), websocketScope());
  });

  it('websocket.accept-twice', async () => {
    await expectRule('websocket.accept-twice', sends({ type: 'websocket.accept' }, { type: 'websocket.accept' }), websocketScope());
  });

  it('websocket.send-after-close', async () => {
    const app = sends({ type: 'websocket.accept' }, { type: 'websocket.close' }, { type: 'websocket.send', text: 'x' });
    await expectRule('websocket.send-after-close', app, websocketScope());
  });

  it('websocket.denial-after-accept', async () => {
    const app = sends({ type: 'websocket.accept' }, { type: 'websocket.http.response.start', status: 403 });
    await expectRule('websocket.denial-after-accept', app, websocketScope({ extensions: allExtensions }));
  });

  it('websocket.denial-in-progress', async () => {
    const app = sends({ type: 'websocket.http.response.start', status: 403 }, { type: 'websocket.accept' });
    await expectRule('websocket.denial-in-progress', app, websocketScope({ extensions: allExtensions }));
  });

  it('websocket.no-handshake', async () => {
    await expectRule('websocket.no-handshake', sends(), websocketScope());
  });

  it('event.shape: websocket.send with both text and bytes', async () => {
    const app = sends({ type: 'websocket.accept' }, { type: 'websocket.send', text: 'x', bytes: bytes('x') });
    await expectRule('event.shape', app, websocketScope());
  });

  it('lifespan.out-of-order: startup.complete before lifespan.startup arrived', async () => {
    await expectRule('lifespan.out-of-order', sends({ type: 'lifespan.startup.complete' }), lifespanScope());
  });

});

describe('guard: how violations surface', () => {
  it('rethrows the broken rule even when the app swallowed the error', async () => {
    const app: App = async (_scope, _receive, send) => {
      await send(start);
      await send(body);
      await send(body).catch(() => undefined);
    };
    await expectRule('http.body-after-end', app);
  });

  it('reports each violation to onViolation', async () => {
    const seen: string[] = [];
    const harness = new AppHarness(guard(sends(body), { onViolation: (error) => seen.push(error.rule) }), httpScope());
    await expect(harness.wait()).rejects.toBeInstanceOf(ProtocolError);
    expect(seen).toEqual(['http.body-before-start']);
  });

  it("rethrows the app's own error unchanged", async () => {
    const failure = new Error('app failure');
    const app: App = async () => {
      throw failure;
    };
    expect(await run(app)).toBe(failure);
  });
});

it('has a test above for every rule in the catalogue', () => {
  expect(Object.keys(RULES).filter((rule) => !covered.has(rule))).toEqual([]);
});
