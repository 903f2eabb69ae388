/**
 * An API on @portico/api: CRUD on items, validated with zod, writes behind a bearer token.
 * `npm start`, then open http://127.0.0.1:8000/docs to try it (token: API_TOKEN, `dev-token` by default).
 */
import { Api, depends, HTTPBearer, HTTPException } from '@portico/api';
import { RedirectResponse } from '@portico/framework';
import { z } from 'zod';
import { Item, ItemInput, ItemPatch, ItemStore } from './items.js';

/** The token that may change items; set API_TOKEN in production. */
export const TOKEN = process.env['API_TOKEN'] ?? 'dev-token';

/** One store per process: made at startup (a lifespan dependency), so each test client gets a fresh one. */
const store = depends(() => new ItemStore(), { scope: 'lifespan' });

const bearer = new HTTPBearer({ description: 'The API_TOKEN the server was started with' });

/** Lets the request through with the right token: 403 without one (HTTPBearer), 401 with a wrong one. */
const writer = depends(
  ({ deps }) => {
    if (deps.credentials.credentials !== TOKEN) throw new HTTPException(401, 'Invalid token', { 'www-authenticate': 'Bearer error="invalid_token"' });
    return true;
  },
  { dependencies: { credentials: bearer } },
);

const NotFound = z.object({ detail: z.string() }).meta({ id: 'NotFound' });
const notFound = { schema: NotFound, description: 'No such item' };

function found(items: ItemStore, id: number): Item {
  const item = items.get(id);
  if (!item) throw new HTTPException(404, `Item ${id} not found`);
  return item;
}

export const app = new Api({ title: 'Items', version: '0.1.0', description: 'Items with a name and a price; writes take a bearer token.' })
  .get('/', { includeInSchema: false }, () => new RedirectResponse('/docs'))
  .get(
    '/items',
    { summary: 'List items', tags: ['items'], query: z.object({ limit: z.number().int().min(1).max(100).default(20) }), dependencies: { store }, responses: { 200: z.array(Item) } },
    ({ query, deps }) => deps.store.list(query.limit),
  )
  .post(
    '/items',
    { summary: 'Create an item', tags: ['items'], body: ItemInput, status: 201, dependencies: { store, writer }, responses: { 201: Item } },
    ({ body, deps }) => deps.store.add(body),
  )
  .get('/items/:id<int>', { summary: 'Read an item', tags: ['items'], dependencies: { store }, responses: { 200: Item, 404: notFound } }, ({ params, deps }) => found(deps.store, params.id))
  .patch(
    '/items/:id<int>',
    { summary: 'Change an item', tags: ['items'], body: ItemPatch, dependencies: { store, writer }, responses: { 200: Item, 404: notFound } },
    ({ params, body, deps }) => deps.store.update(found(deps.store, params.id), body),
  )
  .delete('/items/:id<int>', { summary: 'Delete an item', tags: ['items'], status: 204, dependencies: { store, writer }, responses: { 404: notFound } }, ({ params, deps }) => {
    deps.store.remove(found(deps.store, params.id));
  });
