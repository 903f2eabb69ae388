import { describe, expect, it } from '@jest/globals';
import { App, CORSMiddleware, Host, Middleware, Mount, PlainTextResponse, Route, Router, TestClient, WebSocketRoute } from '@portico/framework';
import { expectTypeError } from './support/type-error';

/**
 * Routing and the App: each wrong argument is a TypeError at construction, with the exact
 * message. Casts stand for JavaScript callers (or `any`), which the types do not stop.
 */
type Build = () => unknown;

const home = (): PlainTextResponse => new PlainTextResponse('home');
const route = new Route('/', home);
const bad = (value: unknown): never => value as never;

const cases: ReadonlyArray<[string, Build, string]> = [
  // Mount
  [
    'Mount given { routes } (Starlette keyword style)',
    () => new Mount('/sub', bad({ routes: [route] })),
    "new Mount('/sub', app) takes a protocol app (a function (scope, receive, send), such as an App, a Router or a StaticFiles) or an array of routes, got an object with keys routes; for Starlette's Mount(path, routes=[...]) pass the array itself: new Mount('/sub', [...routes])",
  ],
  ['Mount given a single route', () => new Mount('/sub', bad(route)), "new Mount('/sub', app) takes a protocol app (a function (scope, receive, send), such as an App, a Router or a StaticFiles) or an array of routes, got a Route"],
  ['Mount given a class', () => new Mount('/sub', bad(Router)), "new Mount('/sub', app) takes a protocol app (a function (scope, receive, send), such as an App, a Router or a StaticFiles) or an array of routes, got a class (Router)"],
  ['Mount given a handler in its routes', () => new Mount('/sub', bad([route, home])), "new Mount('/sub', app): routes[1] is a function (home), not a route: a Route, WebSocketRoute, Mount, Host or other BaseRoute (a handler goes in new Route(path, handler), an app in new Mount(path, app))"],
  ['Mount path without a slash', () => new Mount('sub', []), "new Mount(path, app): paths start with '/' (or are ''), got string \"sub\""],
  ['Mount options not an object', () => new Mount('/sub', [], bad('api')), "new Mount('/sub', app, options) takes an options object { name }, got string \"api\""],
  ['Mount unknown option', () => new Mount('/sub', [], bad({ middleware: [] })), "new Mount('/sub', app, options) has no option 'middleware'; it takes name"],
  ['Mount name not a string', () => new Mount('/sub', [], bad({ name: 1 })), "new Mount('/sub', app, { name }) takes a string, got number 1"],
  // Route
  ['Route path not a string', () => new Route(bad(7), home), "new Route(path, handler): paths start with '/', got number 7"],
  ['Route path without a slash', () => new Route('notes', home), "new Route(path, handler): paths start with '/', got string \"notes\""],
  ['Route without a handler', () => new Route('/', bad(undefined)), "new Route('/', handler) takes a handler function (request) => Response, got undefined"],
  [
    'Route given a response object',
    () => new Route('/', bad(new PlainTextResponse('hi'))),
    "new Route('/', handler) takes a handler function (request) => Response, got a PlainTextResponse: a response object is sent once, so return a new one from a function, e.g. () => new PlainTextResponse(...)",
  ],
  ['Route given an app', () => new Route('/', bad(new App())), "new Route('/', handler) takes a handler function (request) => Response, got an App: serve a whole app under a path with new Mount(path, app)"],
  ['Route given a class', () => new Route('/', bad(class Notes {})), "new Route('/', handler) takes a handler function (request) => Response, got a class (Notes): a class cannot be called as a handler"],
  ['Route methods as a string', () => new Route('/', home, { methods: bad('GET') }), "new Route('/', handler, { methods }) takes a non-empty array of method names, e.g. ['GET', 'POST'], got string \"GET\""],
  ['Route methods empty', () => new Route('/', home, { methods: [] }), "new Route('/', handler, { methods }) takes a non-empty array of method names, e.g. ['GET', 'POST'], got an empty array"],
  ['Route method not a token', () => new Route('/', home, { methods: ['GET', 'NO PE'] }), "new Route('/', handler, { methods }): string \"NO PE\" is not an HTTP method name, e.g. 'GET'"],
  ['Route unknown option', () => new Route('/', home, bad({ method: ['POST'] })), "new Route('/', handler, options) has no option 'method'; it takes methods, name"],
  ['Route name not a string', () => new Route('/', home, bad({ name: null })), "new Route('/', handler, { name }) takes a string, got null"],
  // WebSocketRoute
  ['WebSocketRoute without a handler', () => new WebSocketRoute('/ws', bad(null)), "new WebSocketRoute('/ws', handler) takes a handler function or a WebSocketEndpoint class, got null"],
  [
    'WebSocketRoute given a class that is no WebSocketEndpoint',
    () => new WebSocketRoute('/ws', bad(class Chat {})),
    "new WebSocketRoute('/ws', handler) takes a handler function or a WebSocketEndpoint class, got a class (Chat): a class must extend WebSocketEndpoint",
  ],
  ['WebSocketRoute path', () => new WebSocketRoute(bad(undefined), async () => undefined), "new WebSocketRoute(path, handler): paths start with '/', got undefined"],
  ['WebSocketRoute unknown option', () => new WebSocketRoute('/ws', async () => undefined, bad({ methods: ['GET'] })), "new WebSocketRoute('/ws', handler, options) has no option 'methods'; it takes name"],
  // Host
  ['Host name not a string', () => new Host(bad(undefined), new App()), "new Host(host, app) takes a host name pattern such as ':tenant.example.com', got undefined"],
  [
    'Host given routes',
    () => new Host('api.example.com', bad([route])),
    "new Host('api.example.com', app) takes a protocol app (a function (scope, receive, send), such as an App or a Router), got an array of 1; for a list of routes pass a Router: new Host('api.example.com', new Router({ routes }))",
  ],
  ['Host unknown option', () => new Host('api.example.com', new App(), bad({ nam: 'api' })), "new Host('api.example.com', app, options) has no option 'nam'; it takes name"],
  // Router
  ['Router given an array', () => new Router(bad([route])), 'new Router(options) takes an options object { routes, redirectSlashes }, got an array of 1'],
  ['Router routes not an array', () => new Router({ routes: bad(route) }), 'new Router({ routes }) takes an array of routes (Route, WebSocketRoute, Mount, Host), got a Route'],
  ['Router redirectSlashes', () => new Router({ redirectSlashes: bad('yes') }), 'new Router({ redirectSlashes }) takes true or false, got string "yes"'],
  ['Router.add given a handler', () => new Router().add(bad(home)), 'router.add(route): route is a function (home), not a route: a Route, WebSocketRoute, Mount, Host or other BaseRoute (a handler goes in new Route(path, handler), an app in new Mount(path, app))'],
  // App
  ['App options not an object', () => new App(bad('debug')), 'new App(options) takes an options object { routes, middleware, exceptionHandlers, lifespan, debug, redirectSlashes, bodyLimit }, got string "debug"'],
  ['App unknown option', () => new App(bad({ route: [] })), "new App(options) has no option 'route'; it takes routes, middleware, exceptionHandlers, lifespan, debug, redirectSlashes, bodyLimit"],
  ['App routes entry', () => new App({ routes: bad([null]) }), 'new App({ routes }): routes[0] is null, not a route: a Route, WebSocketRoute, Mount, Host or other BaseRoute'],
  ['App debug', () => new App({ debug: bad(1) }), 'new App({ debug }) takes true or false, got number 1'],
  ['App redirectSlashes', () => new App({ redirectSlashes: bad('false') }), 'new App({ redirectSlashes }) takes true or false, got string "false"'],
  ['App lifespan', () => new App({ lifespan: bad({ startup: home }) }), 'new App({ lifespan }) takes a function (app) => { state, cleanup } (or a promise of it), got an object with keys startup'],
  ['App middleware not an array', () => new App({ middleware: bad(new Middleware(CORSMiddleware, {})) }), 'new App({ middleware }) takes an array of new Middleware(factory, options) entries, got a Middleware'],
  [
    'App middleware given a bare factory',
    () => new App({ middleware: bad([CORSMiddleware]) }),
    'new App({ middleware }): middleware[0] is a function (CORSMiddleware), not a middleware entry (a new Middleware(factory, options)): wrap a factory (app, options) => app as new Middleware(factory, options), and a (request, next) function as httpMiddleware(fn)',
  ],
  ['App exceptionHandlers not an object', () => new App({ exceptionHandlers: bad(home) }), 'exceptionHandlers takes { [status]: handler } or a Map keyed by status code or error class, got a function (home)'],
  ['App exception handler not a function', () => new App({ exceptionHandlers: bad({ 404: 'Not here' }) }), 'exceptionHandlers[404] takes a function (request, error) => Response, got string "Not here"'],
  ['App exception handler key', () => new App({ exceptionHandlers: bad(new Map([['404', home]])) }), 'exception handler key string "404" is not an HTTP status code or an error class'],
  ['app.get options not an object', () => new App().get('/', home, bad('home')), 'app.get(path, handler, options) takes an options object { name }, got string "home"'],
  ['app.use given a factory', () => new App().use(bad(CORSMiddleware)), 'app.use(middleware) takes a new Middleware(factory, options) or a (request, next) => Response function, got a function (CORSMiddleware): a middleware factory goes in app.use(new Middleware(CORSMiddleware, options))'],
  ['app.use given a response', () => new App().use(bad(new PlainTextResponse(''))), 'app.use(middleware) takes a new Middleware(factory, options) or a (request, next) => Response function, got a PlainTextResponse'],
  ['app.use given an object', () => new App().use(bad({ cors: true })), 'app.use(middleware): middleware is an object with keys cors, not a middleware entry (a new Middleware(factory, options))'],
  // Middleware
  ['Middleware given options first', () => new Middleware(bad({ allowOrigins: ['*'] })), 'new Middleware(factory, options) takes a middleware factory (app, options) => app, such as CORSMiddleware, got an object with keys allowOrigins'],
];

describe('constructor checks: routing and the App', () => {
  it.each(cases)('%s', (_name, build, message) => expectTypeError(build, message));

  it("refuses the bug report's Mount('/sub', { routes }) at construction, before any request is served", () => {
    const mount = (): Mount => new Mount('/sub', bad({ routes: [new Route('/', home)] }));
    expect(mount).toThrow(TypeError);
    expect(mount).toThrow("pass the array itself: new Mount('/sub', [...routes])");
  });

  it('still serves what it accepts: an array of routes and a protocol app', async () => {
    const app = new App({ routes: [new Mount('/sub', [new Route('/', home)]), new Mount('/app', new App({ routes: [new Route('/', home)] }))] });
    const client = new TestClient(app);
    expect((await client.get('/sub/')).text).toBe('home');
    expect((await client.get('/app/')).text).toBe('home');
  });
});
