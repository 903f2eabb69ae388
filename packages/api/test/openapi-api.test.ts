/**
 * The document and docs through a real Api: what the core registers is what the generator reads.
 */
import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { TestClient } from '@portico/framework';
import { Api, ApiRouter, APIKeyHeader, bytes, depends, form, multipart, OAuth2PasswordBearer, uploadFile } from '../src';
import type { OpenApiDocument } from '../src/openapi';
import { schemaErrors, schemaValidator, specErrors } from './support/openapi-check';

const Item = z.object({ name: z.string(), price: z.number(), tags: z.array(z.string()).default([]) }).meta({ id: 'Item' });
const oauth2 = new OAuth2PasswordBearer({ tokenUrl: '/token', scopes: { 'items:write': 'Change items' } });
const currentUser = depends(({ deps }) => ({ token: deps.token }), { dependencies: { token: oauth2 } });

function shop(): Api<unknown> {
  const items = new ApiRouter({ prefix: '/items', tags: ['items'] })
    .get('/:id<int>', { responses: { 200: Item, 404: { description: 'No such item', schema: z.object({ detail: z.string() }) } }, summary: 'Read an item' }, ({ params }) => ({ name: `#${params.id}`, price: 1 }))
    .post('/', { body: Item, status: 201, responses: { 201: Item }, dependencies: { user: currentUser } }, ({ body }) => body)
    .delete('/:id<int>', { status: 204, deprecated: true, dependencies: { key: new APIKeyHeader({ name: 'x-api-key' }) } }, () => undefined);
  return new Api({ title: 'Shop', version: '1.0.0', servers: [{ url: '/' }] })
    .include(items)
    .post('/token', { body: form(z.object({ username: z.string(), password: z.string() })) }, ({ body }) => ({ access_token: body.username, token_type: 'bearer' }))
    .post('/photos', { body: multipart(z.object({ photo: uploadFile(), caption: z.string().optional() })) }, ({ body }) => ({ size: body.photo.size }))
    .put('/blobs/:key<uuid>', { body: bytes('image/png'), status: 204 }, () => undefined)
    .get('/search', { query: z.object({ q: z.string(), limit: z.coerce.number().int().default(10) }), headers: z.object({ acceptLanguage: z.string().optional() }) }, ({ query }) => [query.q]);
}

async function documentOf(api: Api<unknown>, path = '/openapi.json'): Promise<OpenApiDocument> {
  const response = await new TestClient(api).get(path);
  expect(response.status).toBe(200);
  return response.json() as OpenApiDocument;
}

describe('the OpenAPI document of an Api', () => {
  it('is served at /openapi.json, valid, and lists what was registered', async () => {
    const document = await documentOf(shop());
    expect(await specErrors(document)).toBe('');
    expect(schemaErrors(document)).toEqual([]);
    expect(document.info).toEqual({ title: 'Shop', version: '1.0.0' });
    expect(Object.keys(document.paths ?? {})).toEqual(expect.arrayContaining(['/items/{id}', '/items/', '/token', '/photos', '/blobs/{key}', '/search']));
    // The docs routes themselves are not endpoints.
    expect(Object.keys(document.paths ?? {}).filter((path) => /docs|redoc|openapi/.test(path))).toEqual([]);
  });

  it('documents what the core declares: tags, bodies by encoding, uploads, security, 422', async () => {
    const { paths = {}, components } = await documentOf(shop());
    const read = paths['/items/{id}']?.get;
    expect(read).toMatchObject({ tags: ['items'], summary: 'Read an item' });
    expect(read?.responses?.['404']).toMatchObject({ description: 'No such item' });
    expect(paths['/items/{id}']?.head).toBeUndefined();
    expect(paths['/items/{id}']?.delete).toMatchObject({ deprecated: true, security: [{ APIKeyHeader: [] }] });
    expect(paths['/items/']?.post?.security).toEqual([{ OAuth2PasswordBearer: [] }]);
    expect(components?.securitySchemes?.['OAuth2PasswordBearer']).toMatchObject({ type: 'oauth2', flows: { password: { tokenUrl: '/token' } } });
    expect(paths['/token']?.post?.requestBody).toMatchObject({ content: { 'application/x-www-form-urlencoded': {} } });
    expect(paths['/photos']?.post?.requestBody).toMatchObject({
      content: { 'multipart/form-data': { schema: { properties: { photo: { type: 'string', format: 'binary' } }, required: ['photo'] } } },
    });
    expect(paths['/blobs/{key}']?.put?.requestBody).toMatchObject({ content: { 'image/png': { schema: { type: 'string', format: 'binary' } } } });
    expect(paths['/search']?.get?.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ in: 'query', name: 'q', required: true }), expect.objectContaining({ in: 'header', name: 'accept-language' })]),
    );
    expect(paths['/search']?.get?.responses?.['422']).toEqual({ description: 'Validation Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/HTTPValidationError' } } } });
    expect(Object.keys(components?.schemas ?? {})).toEqual(expect.arrayContaining(['Item', 'HTTPValidationError', 'ValidationError']));
  });

  it('documents the 422 body the Api really sends', async () => {
    const api = shop();
    const client = new TestClient(api);
    const invalid = await client.get('/search', { query: { limit: 'many' } });
    expect(invalid.status).toBe(422);
    const document = await documentOf(api);
    const validate = schemaValidator(document, '/components/schemas/HTTPValidationError');
    expect(validate(invalid.json())).toBe(true);
    expect(validate({ detail: 'not a list' })).toBe(false);
  });

  it('serves the docs pages at the Api URLs, and none when openapiUrl is null', async () => {
    const client = new TestClient(shop());
    expect((await client.get('/docs')).text).toContain('"url":"/openapi.json"');
    expect((await client.get('/redoc')).text).toContain('spec-url="/openapi.json"');
    const off = new TestClient(new Api({ openapiUrl: null }));
    for (const path of ['/openapi.json', '/docs', '/redoc']) expect((await off.get(path)).status).toBe(404);
    const moved = new TestClient(new Api({ openapiUrl: '/api/spec.json', docsUrl: '/api/docs', redocUrl: null }));
    expect((await moved.get('/api/docs')).text).toContain('"url":"/api/spec.json"');
    expect((await moved.get('/api/spec.json')).status).toBe(200);
    expect((await moved.get('/redoc')).status).toBe(404);
  });
});
