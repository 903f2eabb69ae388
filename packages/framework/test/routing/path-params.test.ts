import { describe, expect, it } from '@jest/globals';
import { App, JSONResponse, TestClient, type PathParams } from '@portico/framework';

/** Compile-time equality: the test file fails to type-check (npm run typecheck) when inference drifts. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(): T => true as T;

describe('PathParams (type-level)', () => {
  it('infers names and converted types from the path literal', () => {
    expect(assertType<Equal<PathParams<'/users/:id<int>/files/*rest'>, { id: number; rest: string }>>()).toBe(true);
    expect(assertType<Equal<PathParams<'/p/:price<float>/:key<uuid>/:slug'>, { price: number; key: string; slug: string }>>()).toBe(true);
    expect(assertType<Equal<PathParams<'/archive/:from-:to'>, { from: string; to: string }>>()).toBe(true);
    expect(assertType<Equal<PathParams<'/files/:name.:ext'>, { name: string; ext: string }>>()).toBe(true);
    expect(assertType<Equal<PathParams<'/reports{/:year<int>}'>, { year?: number }>>()).toBe(true);
    expect(assertType<Equal<PathParams<'/plain'>, Record<string, never>>>()).toBe(true);
    expect(assertType<Equal<PathParams<string>, Record<string, string | number>>>()).toBe(true);
  });

  it('types request.pathParams in app.get handlers', async () => {
    const app = new App();
    app.get('/users/:id<int>/posts/:slug', (request) => {
      const id: number = request.pathParams.id;
      const slug: string = request.pathParams.slug;
      // @ts-expect-error: no such parameter in the path
      void request.pathParams.missing;
      return new JSONResponse({ next: id + 1, slug });
    });
    expect((await new TestClient(app).get('/users/1/posts/hello')).json()).toEqual({ next: 2, slug: 'hello' });
  });
});
