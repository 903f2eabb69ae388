import { describe, expect, it } from '@jest/globals';
import { lifespanScope, type App as GatewayApp } from '@portico/protocol';
import { App, AppStartedError, Middleware, PlainTextResponse, Route, TestClient, type MiddlewareFactory } from '@portico/framework';

/** Records when it sees the request and the response, and adds its name to a header. */
const tracer: MiddlewareFactory<{ name: string; log: string[] }> = (app, { name, log }) =>
  async function trace(scope, receive, send) {
    if (scope.type !== 'http') return app(scope, receive, send);
    log.push(`${name} request`);
    await app(scope, receive, (event) => {
      if (event.type === 'http.response.start') {
        log.push(`${name} response`);
        return send({ ...event, headers: [...(event.headers ?? []), ['x-trace', name]] });
      }
      return send(event);
    });
  };

const hello = new Route('/', () => new PlainTextResponse('hello'));

describe('Middleware', () => {
  it('runs list entries outermost first, then app.use() entries inside them', async () => {
    const log: string[] = [];
    const app = new App({ routes: [hello], middleware: [new Middleware(tracer, { name: 'a', log }), new Middleware(tracer, { name: 'b', log })] });
    app.use(new Middleware(tracer, { name: 'c', log }));
    const response = await new TestClient(app).get('/');
    expect(log).toEqual(['a request', 'b request', 'c request', 'c response', 'b response', 'a response']);
    expect(response.headers.getAll('x-trace')).toEqual(['c', 'b', 'a']);
  });

  it('can answer early with a Response, which is an app', async () => {
    const gate = new Middleware((app: GatewayApp): GatewayApp => async (scope, receive, send) => {
      if (scope.type === 'http' && scope.headers.every(([name]) => name !== 'authorization')) {
        return new PlainTextResponse('sign in first', { status: 401 })(scope, receive, send);
      }
      return app(scope, receive, send);
    });
    const client = new TestClient(new App({ routes: [hello], middleware: [gate] }));
    expect((await client.get('/')).status).toBe(401);
    expect((await client.get('/', { headers: { authorization: 'Bearer x' } })).text).toBe('hello');
  });

  it('builds the stack once, on the first call, and refuses configuration afterwards', async () => {
    let builds = 0;
    const counted = new Middleware((app: GatewayApp) => {
      builds += 1;
      return app;
    });
    const app = new App({ routes: [hello], middleware: [counted] });
    const client = new TestClient(app);
    await client.get('/');
    await client.get('/');
    expect(builds).toBe(1);
    expect(() => app.use(counted)).toThrow(AppStartedError);
    expect(() => app.get('/late', () => new PlainTextResponse(''))).toThrow(/added after the app started serving: configure routes and middleware before the first request/);
  });

  it('does not put lifespan through middleware, and a pass-through middleware leaves other scope types alone', async () => {
    const seen: string[] = [];
    const spy = new Middleware((app: GatewayApp): GatewayApp => async (scope, receive, send) => {
      seen.push(scope.type);
      return app(scope, receive, send);
    });
    const app = new App({ routes: [hello], middleware: [spy] });
    const sent: string[] = [];
    const input = [{ type: 'lifespan.startup' as const }, { type: 'lifespan.shutdown' as const }];
    await app(lifespanScope(), async () => input.shift()!, async (event) => void sent.push(event.type));
    await new TestClient(app).get('/');
    expect([sent, seen]).toEqual([['lifespan.startup.complete', 'lifespan.shutdown.complete'], ['http']]);
  });
});
