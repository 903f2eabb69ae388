import { z } from 'zod';
import { Api, ApiRouter, form, HTTPException, multipart, uploadFile } from '@portico/api';

export const Item = z.object({ id: z.number(), name: z.string(), price: z.number(), tags: z.array(z.string()) });
export const NewItem = Item.omit({ id: true }).extend({ tags: z.array(z.string()).default([]) });
const NotFound = z.object({ detail: z.string() });

/** A small shop, chained so that its type carries the route table for the typed client. */
export function shopApi() {
  const items = new Map<number, z.output<typeof Item>>([[1, { id: 1, name: 'Pen', price: 2.5, tags: ['office'] }]]);
  const users = new ApiRouter({ prefix: '/users' }).get('/:name', { query: z.object({ greeting: z.string().default('hello') }) }, ({ params, query }) => ({ message: `${query.greeting}, ${params.name}` }));
  return new Api({ title: 'Shop', version: '1.0.0' })
    .get('/items', { query: z.object({ limit: z.number().int().default(10), tag: z.array(z.string()).optional() }), responses: { 200: z.array(Item) } }, ({ query }) =>
      [...items.values()].filter((item) => !query.tag || query.tag.some((tag) => item.tags.includes(tag))).slice(0, query.limit),
    )
    .get('/items/:id<int>', { responses: { 200: Item, 404: NotFound } }, ({ params }) => {
      const item = items.get(params.id);
      if (!item) throw new HTTPException(404, 'Item not found');
      return item;
    })
    .post('/items', { body: NewItem, status: 201, responses: { 201: Item }, headers: z.object({ xRequestId: z.string().optional() }) }, ({ body }) => {
      const item = { id: items.size + 1, ...body };
      items.set(item.id, item);
      return item;
    })
    .delete('/items/:id<int>', { status: 204 }, ({ params }) => {
      items.delete(params.id);
    })
    .post('/login', { body: form(z.object({ username: z.string(), password: z.string() })) }, ({ body }) => ({ user: body.username }))
    .post('/upload', { body: multipart(z.object({ file: uploadFile() })) }, ({ body }) => ({ size: body.file.size }))
    .get('/files/*rest', {}, ({ params }) => params.rest)
    .include(users);
}

export type ShopApi = ReturnType<typeof shopApi>;
