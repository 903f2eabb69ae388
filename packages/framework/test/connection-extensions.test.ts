import { describe, expect, it } from '@jest/globals';
import type { App as GatewayApp } from '@portico/protocol';
import { App, defineScopeAccessor, JSONResponse, Middleware, TestClient, type FrameworkScopeKeys, type PathParamsRecord } from '@portico/framework';

/** A middleware of the user's own, adding its key the way SessionMiddleware and AuthenticationMiddleware do. */
declare module '@portico/framework' {
  interface FrameworkScopeKeys {
    tenant?: string;
  }
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- merging declarations repeat the class's type parameters
  interface HTTPConnection<Params extends object = PathParamsRecord> {
    readonly tenant: string;
  }
}
defineScopeAccessor('tenant', 'TenantMiddleware', '{}');

function TenantMiddleware(app: GatewayApp): GatewayApp {
  return async (scope, receive, send) => {
    if (scope.type !== 'lifespan') (scope as FrameworkScopeKeys).tenant = 'acme';
    return app(scope, receive, send);
  };
}

describe('connection keys added by middleware (declaration merging)', () => {
  it('types and serves a key a middleware adds, and says which middleware is missing without it', async () => {
    const withTenant = new App({ middleware: [new Middleware(TenantMiddleware, undefined)] });
    withTenant.get('/', (request) => new JSONResponse({ tenant: request.tenant.toUpperCase() }));
    expect((await new TestClient(withTenant).get('/')).json()).toEqual({ tenant: 'ACME' });
    const without = new App();
    without.get('/', (request) => new JSONResponse({ tenant: request.tenant }));
    await expect(new TestClient(without).get('/')).rejects.toThrow('request.tenant needs TenantMiddleware: add new Middleware(TenantMiddleware, {}) to the app');
  });

  it('keeps the built-in middleware keys typed: session, user, auth', () => {
    type Keys = keyof Required<FrameworkScopeKeys>;
    const keys: Keys[] = ['app', 'appRootPath', 'pathParams', 'session', 'user', 'auth', 'tenant'];
    expect(keys).toHaveLength(7);
  });
});
