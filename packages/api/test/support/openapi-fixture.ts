/**
 * A rich set of endpoints for the OpenAPI tests: every body encoding, every request part, named
 * schemas used as input and output, nested dependencies carrying security, several responses,
 * deprecated and hidden endpoints, path converters, wildcards and optional groups.
 */
import { z } from 'zod';
import { UploadFile } from '@portico/framework';
import type { ApiInfo, EndpointDefinition, SecurityRequirement } from '../../src/definition';
import { dependency, endpoint } from './endpoints';

/** What `uploadFile()` builds: an UploadFile instance marked for the docs. */
export const upload = (): z.ZodType => z.instanceof(UploadFile).meta({ portico: { kind: 'upload-file' } });

export const Item = z
  .object({
    name: z.string().min(1).meta({ description: 'What it is called', examples: ['Hammer'] }),
    price: z.number().nonnegative(),
    tags: z.array(z.string()).default([]),
  })
  .meta({ id: 'Item', description: 'An item for sale' });

export const Problem = z.object({ detail: z.string() }).meta({ id: 'Problem' });

export const oauth2: SecurityRequirement = {
  name: 'OAuth2PasswordBearer',
  scheme: { type: 'oauth2', flows: { password: { tokenUrl: '/token', scopes: { 'items:read': 'Read items', 'items:write': 'Change items' } } } },
  scopes: ['items:read'],
};
export const apiKey: SecurityRequirement = { name: 'APIKeyHeader', scheme: { type: 'apiKey', in: 'header', name: 'x-api-key' }, scopes: [] };
const basic: SecurityRequirement = { name: 'HTTPBasic', scheme: { type: 'http', scheme: 'basic' }, scopes: [] };

/** A user lookup that needs the token, itself needing the scheme two levels down. */
const token = dependency(oauth2);
const currentUser = dependency(undefined, { token, session: dependency(undefined, { token }) });
const writer = dependency({ ...oauth2, scopes: ['items:write'] }, { user: currentUser });

export const info: ApiInfo = {
  title: 'Shop',
  version: '2.1.0',
  description: 'Items and files.',
  servers: [{ url: 'https://shop.example', description: 'production' }],
};

export const endpoints: readonly EndpointDefinition[] = [
  endpoint({
    method: 'GET',
    path: '/items/:id<int>',
    operationId: 'getItem',
    params: z.object({ id: z.coerce.number().int().meta({ description: 'The item number' }) }),
    query: z.object({ verbose: z.enum(['yes', 'no']).optional(), fields: z.array(z.string()).optional() }),
    headers: z.object({ xRequestId: z.string().optional() }),
    cookies: z.object({ session: z.string().optional() }),
    responses: { 200: { schema: Item }, 404: { schema: Problem, description: 'No such item' } },
    tags: ['items'],
    summary: 'Read an item',
    description: 'One item by its number.',
    dependencies: { user: currentUser },
  }),
  endpoint({ method: 'HEAD', path: '/items/:id<int>', operationId: 'headItem', params: z.object({ id: z.coerce.number() }) }),
  endpoint({
    method: 'POST',
    path: '/items',
    operationId: 'createItem',
    body: { encoding: 'json', schema: Item, mediaType: 'application/json' },
    status: 201,
    responses: { 201: { schema: Item, headers: z.object({ location: z.string() }) } },
    tags: ['items'],
    dependencies: { writer },
  }),
  endpoint({
    method: 'DELETE',
    path: '/items/:id<int>',
    operationId: 'deleteItem',
    status: 204,
    responses: { 204: {} },
    deprecated: true,
    tags: ['items'],
    dependencies: { key: dependency(apiKey), user: currentUser },
  }),
  endpoint({
    method: 'POST',
    path: '/token',
    operationId: 'login',
    body: { encoding: 'urlencoded', schema: z.object({ username: z.string(), password: z.string(), scope: z.string().optional() }), mediaType: 'application/x-www-form-urlencoded' },
    responses: { 200: { schema: z.object({ access_token: z.string(), token_type: z.literal('bearer') }) } },
  }),
  endpoint({
    method: 'POST',
    path: '/files/:folder',
    operationId: 'uploadFiles',
    body: { encoding: 'multipart', schema: z.object({ file: upload(), extra: z.array(upload()).optional(), note: z.string().optional() }), mediaType: 'multipart/form-data' },
    responses: { 200: { schema: z.object({ stored: z.array(z.string()) }) } },
    dependencies: { basic: dependency(basic) },
  }),
  endpoint({
    method: 'PUT',
    path: '/blobs/:key<uuid>',
    operationId: 'putBlob',
    body: { encoding: 'bytes', schema: z.instanceof(Uint8Array), mediaType: 'application/octet-stream' },
    status: 204,
  }),
  endpoint({ method: 'GET', path: '/downloads/*rest', operationId: 'download', responses: { 200: { mediaType: 'application/pdf', description: 'The file' } } }),
  endpoint({ method: 'GET', path: '/archive{/:year<int>{/:month<int>}}', operationId: 'archive', responses: { 200: { schema: z.array(Item) } } }),
  endpoint({ method: 'GET', path: '/prices/:amount<float>', operationId: 'price' }),
  endpoint({ method: 'GET', path: '/page', operationId: 'page', responses: { 200: { mediaType: 'text/html', description: 'A page' } } }),
  endpoint({ method: 'GET', path: '/internal', operationId: 'internal', includeInSchema: false }),
];
