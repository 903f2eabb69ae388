import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient } from '@portico/api/client';
import { Server } from '@portico/server';
import { app, type TasksApi } from '../app';

/** The same Api served by the HTTP/1.1 host, called through the typed client over loopback. */
describe('tasks API over HTTP/1.1 with the typed client', () => {
  let server: Server;
  beforeAll(async () => {
    server = new Server(app, { host: '127.0.0.1', port: 0, lifespan: 'on', logLevel: 'warning' });
    await server.start();
  });
  afterAll(() => server.close());

  const asAda = () => createClient<TasksApi>(server.url, { headers: { authorization: 'Bearer ada-token' } });

  it('creates, lists, changes and deletes with typed calls', async () => {
    const client = asAda();
    const created = await client.post('/tasks', { body: { title: 'Over the wire', tags: ['net'] } });
    expect(created.status).toBe(201);
    if (created.status !== 201) throw new Error('not created');
    const { id } = created.data;
    expect(created.data).toEqual({ id, title: 'Over the wire', done: false, priority: 'normal', tags: ['net'], owner: 'ada' });

    const listed = await client.get('/tasks', { query: { tag: ['net'], limit: 5 } });
    expect(listed.status === 200 && listed.data.map((task) => task.title)).toEqual(['Over the wire']);

    const changed = await client.patch('/tasks/:id', { params: { id }, body: { priority: 'high' } });
    expect(changed.status === 200 && changed.data.priority).toBe('high');

    const deleted = await client.delete('/tasks/:id', { params: { id } });
    expect(deleted.status).toBe(204);
    const gone = await client.get('/tasks/:id', { params: { id } });
    expect([gone.status, gone.data]).toEqual([404, { detail: `Task ${id} not found` }]);
  });

  it('returns the 422 detail and the 403 of a missing token as data', async () => {
    const invalid = await asAda().post('/tasks', { body: { title: '' } });
    expect(invalid.status).toBe(422);
    const anonymous = await createClient<TasksApi>(server.url).get('/me');
    expect([anonymous.status, anonymous.response.headers.get('www-authenticate')]).toEqual([403, 'Bearer']);
  });

  it('uploads an attachment from a FormData body', async () => {
    const client = asAda();
    const created = await client.post('/tasks', { body: { title: 'with a file' } });
    if (created.status !== 201) throw new Error('not created');
    const form = new FormData();
    form.append('file', new Blob(['x'.repeat(100_000)], { type: 'text/plain' }), 'big.txt');
    const uploaded = await client.post('/tasks/:id/attachments', { params: { id: created.data.id }, body: form });
    expect([uploaded.status, uploaded.data]).toEqual([201, { filename: 'big.txt', contentType: 'text/plain', size: 100_000 }]);
  });

  it('streams events to an EventSource-style reader over the socket', async () => {
    const controller = new AbortController();
    const feed = await fetch(`${server.url}/events`, { headers: { authorization: 'Bearer grace-token' }, signal: controller.signal });
    expect(feed.headers.get('x-accel-buffering')).toBe('no');
    const reader = feed.body!.getReader();
    await asAda().post('/tasks', { body: { title: "ada's, not shown to grace" } });
    await createClient<TasksApi>(server.url, { headers: { authorization: 'Bearer grace-token' } }).post('/tasks', { body: { title: 'for grace' } });
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toMatch(/^event: created\nid: \d+\ndata: \{"id":\d+,"title":"for grace",.*"owner":"grace"\}\n\n$/);
    controller.abort();
  });

  it('serves a valid OpenAPI document naming its schemas, security and the validation error', async () => {
    const document = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { operationId: string; security?: unknown[]; responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
    };
    expect(document.openapi).toMatch(/^3\.1\./);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/tasks', '/tasks/{id}', '/tasks/{id}/attachments', '/events', '/me', '/health']));
    expect(document.paths['/tasks']!['post']!.operationId).toBe('createTask');
    expect(document.paths['/tasks/{id}']!['patch']!.security).toEqual([{ HTTPBearer: [] }]);
    expect(Object.keys(document.paths['/tasks']!['post']!.responses)).toEqual(expect.arrayContaining(['201', '404', '422']));
    expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(['Task', 'TaskInput', 'TaskPatch', 'Attachment', 'NotFound', 'HTTPValidationError']));
    expect(document.components.securitySchemes).toEqual({ HTTPBearer: { type: 'http', scheme: 'bearer', description: "A token from the app's USERS table, e.g. 'ada-token'" } });
  });
});
