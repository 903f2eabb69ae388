import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { buildOpenApiDocument, type OpenApiDocument } from '../src/openapi';
import { endpoint } from './support/endpoints';
import { endpoints, info } from './support/openapi-fixture';

const document = buildOpenApiDocument(info, endpoints);
const paths = document.paths ?? {};
const ref = (name: string): { $ref: string } => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown): unknown => ({ 'application/json': { schema } });

describe('buildOpenApiDocument', () => {
  it('carries info and servers', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toEqual({ title: 'Shop', version: '2.1.0', description: 'Items and files.' });
    expect(document.servers).toEqual([{ url: 'https://shop.example', description: 'production' }]);
  });

  it('writes paths in OpenAPI syntax, one per optional group combination, without hidden or implied HEAD endpoints', () => {
    expect(Object.keys(paths)).toEqual([
      '/items/{id}',
      '/items',
      '/token',
      '/files/{folder}',
      '/blobs/{key}',
      '/downloads/{rest}',
      '/archive/{year}/{month}',
      '/archive/{year}',
      '/archive',
      '/prices/{amount}',
      '/page',
    ]);
    expect(Object.keys(paths['/items/{id}'] ?? {})).toEqual(['get', 'delete']);
    expect(['/archive/{year}/{month}', '/archive/{year}', '/archive'].map((path) => paths[path]?.get?.operationId)).toEqual(['archive', 'archive_2', 'archive_3']);
  });

  it('documents each request part as parameters; header keys become header names; path params are required', () => {
    const get = paths['/items/{id}']?.get;
    expect(get?.parameters?.map((parameter) => ('in' in parameter ? `${parameter.in}:${parameter.name}:${parameter.required === true}` : '$ref'))).toEqual([
      'path:id:true',
      'query:verbose:false',
      'query:fields:false',
      'header:x-request-id:false',
      'cookie:session:false',
    ]);
    expect(get?.parameters?.[0]).toMatchObject({ description: 'The item number', schema: { type: 'integer' } });
  });

  it('types path parameters the params schema leaves out from their converters', () => {
    const schemaOf = (path: string, method: 'get' | 'put' | 'delete'): unknown => (paths[path]?.[method]?.parameters?.[0] as { schema?: unknown } | undefined)?.schema;
    expect(schemaOf('/items/{id}', 'delete')).toEqual({ type: 'integer', minimum: 0 });
    expect(schemaOf('/prices/{amount}', 'get')).toEqual({ type: 'number', minimum: 0 });
    expect(schemaOf('/blobs/{key}', 'put')).toEqual({ type: 'string', format: 'uuid' });
    expect(schemaOf('/downloads/{rest}', 'get')).toMatchObject({ type: 'string' });
  });

  it('documents bodies by encoding', () => {
    expect(paths['/items']?.post?.requestBody).toEqual({ required: true, content: json(ref('Item')) });
    expect(Object.keys(paths['/token']?.post?.requestBody && 'content' in paths['/token'].post.requestBody ? paths['/token'].post.requestBody.content : {})).toEqual(['application/x-www-form-urlencoded']);
    const multipart = paths['/files/{folder}']?.post?.requestBody as { content: Record<string, { schema: { properties: Record<string, unknown>; required: string[] } }> };
    expect(multipart.content['multipart/form-data']?.schema.properties).toEqual({
      file: { type: 'string', format: 'binary', contentMediaType: 'application/octet-stream' },
      extra: { type: 'array', items: { type: 'string', format: 'binary', contentMediaType: 'application/octet-stream' } },
      note: { type: 'string' },
    });
    expect(multipart.content['multipart/form-data']?.schema.required).toEqual(['file']);
    expect(paths['/blobs/{key}']?.put?.requestBody).toEqual({
      required: true,
      content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary', contentMediaType: 'application/octet-stream' } } },
    });
  });

  it('keeps input and output schemas apart and names them in components', () => {
    const schemas = document.components?.schemas ?? {};
    expect(Object.keys(schemas).sort()).toEqual(['HTTPValidationError', 'Item', 'ItemOutput', 'Problem', 'ValidationError']);
    // Input: a default makes a field optional; output: it is always there.
    expect(schemas['Item']).toMatchObject({ required: ['name', 'price'], description: 'An item for sale' });
    expect(schemas['ItemOutput']).toMatchObject({ required: ['name', 'price', 'tags'] });
    expect(paths['/items/{id}']?.get?.responses?.['200']).toEqual({ description: 'OK', content: json(ref('ItemOutput')) });
  });

  it('documents every response with a description, reason phrases by default, headers and non-JSON types', () => {
    const get = paths['/items/{id}']?.get?.responses;
    expect(get?.['404']).toEqual({ description: 'No such item', content: json(ref('Problem')) });
    expect(paths['/items']?.post?.responses?.['201']).toMatchObject({ description: 'Created', headers: { location: { required: true, schema: { type: 'string' } } } });
    expect(paths['/items/{id}']?.delete?.responses).toEqual({ '204': { description: 'No Content' } });
    expect(paths['/prices/{amount}']?.get?.responses).toEqual({ '200': { description: 'OK' } });
    expect(paths['/page']?.get?.responses?.['200']).toEqual({ description: 'A page', content: { 'text/html': { schema: { type: 'string' } } } });
    expect(paths['/downloads/{rest}']?.get?.responses?.['200']).toMatchObject({ content: { 'application/pdf': { schema: { format: 'binary' } } } });
  });

  it('adds the 422 to each endpoint that validates input, and only there', () => {
    const with422 = Object.entries(paths).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { responses?: Record<string, unknown> }>)
        .filter(([, operation]) => operation.responses?.['422'] !== undefined)
        .map(([method]) => `${method} ${path}`),
    );
    expect(with422).toEqual(['get /items/{id}', 'post /items', 'post /token', 'post /files/{folder}', 'put /blobs/{key}']);
    expect(paths['/token']?.post?.responses?.['422']).toEqual({ description: 'Validation Error', content: json(ref('HTTPValidationError')) });
    expect(document.components?.schemas?.['HTTPValidationError']).toMatchObject({ properties: { detail: { type: 'array', items: ref('ValidationError') } } });
  });

  it('collects security schemes from the whole dependency tree, each once, scopes merged per operation', () => {
    expect(Object.keys(document.components?.securitySchemes ?? {})).toEqual(['OAuth2PasswordBearer', 'APIKeyHeader', 'HTTPBasic']);
    expect(paths['/items/{id}']?.get?.security).toEqual([{ OAuth2PasswordBearer: ['items:read'] }]);
    expect(paths['/items']?.post?.security).toEqual([{ OAuth2PasswordBearer: ['items:write', 'items:read'] }]);
    expect(paths['/items/{id}']?.delete?.security).toEqual([{ APIKeyHeader: [], OAuth2PasswordBearer: ['items:read'] }]);
    expect(paths['/token']?.post?.security).toBeUndefined();
  });

  it('carries tags, summary, description, operationId and deprecated', () => {
    expect(paths['/items/{id}']?.get).toMatchObject({ operationId: 'getItem', tags: ['items'], summary: 'Read an item', description: 'One item by its number.' });
    expect(paths['/items/{id}']?.delete?.deprecated).toBe(true);
    expect(paths['/items/{id}']?.get?.deprecated).toBeUndefined();
  });

  it('takes document tags, another 422 body, or none', () => {
    const Problem422 = z.object({ errors: z.array(z.string()) }).meta({ id: 'Problem422' });
    const one = [endpoint({ method: 'GET', path: '/q', operationId: 'q', query: z.object({ q: z.string() }) })];
    const custom: OpenApiDocument = buildOpenApiDocument(info, one, { validationErrorSchema: Problem422, tags: [{ name: 'items', description: 'Things for sale' }] });
    expect(custom.tags).toEqual([{ name: 'items', description: 'Things for sale' }]);
    expect(custom.paths?.['/q']?.get?.responses?.['422']).toEqual({ description: 'Validation Error', content: json(ref('Problem422')) });
    const none = buildOpenApiDocument(info, one, { validationErrorSchema: null });
    expect(none.paths?.['/q']?.get?.responses).toEqual({ '200': { description: 'OK' } });
    expect(none.components).toBeUndefined();
  });

  it('lists an explicit HEAD endpoint that has no GET beside it', () => {
    const head = buildOpenApiDocument(info, [endpoint({ method: 'HEAD', path: '/ping', operationId: 'ping' })]);
    expect(Object.keys(head.paths?.['/ping'] ?? {})).toEqual(['head']);
  });
});
