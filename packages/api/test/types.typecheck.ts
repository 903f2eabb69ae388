/**
 * Type-level tests: compiled by `npm run typecheck` (packages/api/test has a tsconfig), never run.
 * Each `@ts-expect-error` is a mistake a user must be stopped from making.
 */
import { z } from 'zod';
import { Api, depends, form, HTTPBearer, type HandlerContext, type HTTPAuthorizationCredentials } from '@portico/api';
import { createClient } from '@portico/api/client';
import type { ShopApi } from './support/shop-api';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_check?: T): void {}

const client = createClient<ShopApi>('http://localhost:8000');

export async function clientCalls(): Promise<void> {
  const one = await client.get('/items/:id<int>', { params: { id: 1 } });
  if (one.status === 200) assertType<Equal<typeof one.data, { id: number; name: string; price: number; tags: string[] }>>();
  if (one.status === 404) assertType<Equal<typeof one.data, { detail: string }>>();
  if (one.status === 500) assertType<Equal<typeof one.data, unknown>>();

  // @ts-expect-error params are required for a path with parameters
  await client.get('/items/:id<int>');
  // @ts-expect-error id is a number (`:id<int>`)
  await client.get('/items/:id<int>', { params: { id: 'one' } });
  // @ts-expect-error no such path
  await client.get('/itemz');
  // @ts-expect-error no POST on that path
  await client.post('/items/:id<int>', { params: { id: 1 } });

  await client.post('/items', { body: { name: 'Ink', price: 4 } });
  // @ts-expect-error the body is required
  await client.post('/items', {});
  // @ts-expect-error price is a number
  await client.post('/items', { body: { name: 'Ink', price: '4' } });
  // @ts-expect-error the query's limit is a number
  await client.get('/items', { query: { limit: 'ten' } });
  // @ts-expect-error a form endpoint takes `form`, not `body`
  await client.post('/login', { body: { username: 'a', password: 'b' } });
  await client.post('/login', { form: { username: 'a', password: 'b' } });

  const deleted = await client.delete('/items/:id<int>', { params: { id: 1 } });
  if (deleted.status === 204) assertType<Equal<typeof deleted.data, undefined>>();

  // Without a declared schema, the data at the endpoint's status is what the handler returns.
  const rest = await client.get('/files/*rest', { params: { rest: 'a/b' } });
  if (rest.status === 200) assertType<Equal<typeof rest.data, string>>();
  const greeting = await client.get('/users/:name', { params: { name: 'Ada' } });
  if (greeting.status === 200) assertType<Equal<typeof greeting.data, { message: string }>>();
}

export function handlerTypes(): void {
  const bearer = new HTTPBearer();
  const optional = new HTTPBearer({ autoError: false });
  const user = depends(async () => ({ name: 'Ada', admin: true }));
  new Api()
    .get('/items/:id<int>/:slug', { query: z.object({ page: z.number().default(1), q: z.string().optional() }), dependencies: { user, bearer, optional } }, ({ params, query, deps, headers, body }) => {
      assertType<Equal<typeof params, { id: number; slug: string }>>();
      assertType<Equal<typeof query, { page: number; q?: string | undefined }>>();
      assertType<Equal<typeof deps.user, { name: string; admin: boolean }>>();
      assertType<Equal<typeof deps.bearer, HTTPAuthorizationCredentials>>();
      assertType<Equal<typeof deps.optional, HTTPAuthorizationCredentials | undefined>>();
      assertType<Equal<typeof headers, Record<string, never>>>();
      assertType<Equal<typeof body, undefined>>();
      return [params, query, deps, headers, body].length;
    })
    .post('/login', { body: form(z.object({ username: z.string(), remember: z.boolean().default(false) })) }, ({ body }) => {
      assertType<Equal<typeof body, { username: string; remember: boolean }>>();
      return body.username;
    })
    .get('/typed', { responses: { 200: z.object({ id: z.number() }) } }, () => ({ id: 1 }))
    // @ts-expect-error the return value must match the declared response schema
    .get('/wrong', { responses: { 200: z.object({ id: z.number() }) } }, () => ({ id: 'one' }))
    .delete('/gone', { status: 204 }, () => undefined);
}

export type ContextIsExported = HandlerContext<{ id: number }, object, object, object, undefined, object>;
