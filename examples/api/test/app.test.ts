import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { TestClient } from '@portico/framework';
import { api } from '../app';

const ada = { authorization: 'Bearer ada-token' };
const grace = { authorization: 'Bearer grace-token' };

/** The tasks API through the TestClient, lifespan included: no socket. */
describe('tasks API', () => {
  let client: TestClient;
  beforeEach(async () => {
    client = new TestClient(api);
    await client.start();
  });
  afterEach(() => client.close());

  it('asks for a bearer token, refuses an unknown one, and knows who signed in', async () => {
    const anonymous = await client.get('/me');
    expect([anonymous.status, anonymous.json(), anonymous.headers.get('www-authenticate')]).toEqual([403, { detail: 'Not authenticated' }, 'Bearer']);
    const unknown = await client.get('/me', { headers: { authorization: 'Bearer nobody' } });
    expect([unknown.status, unknown.json()]).toEqual([401, { detail: 'Invalid token' }]);
    expect((await client.get('/me', { headers: ada })).json()).toEqual({ name: 'ada' });
  });

  it('creates, reads, changes and deletes a task, with defaults filled in', async () => {
    const created = await client.post('/tasks', { headers: ada, json: { title: '  Write the docs ', tags: ['docs'] } });
    expect(created.status).toBe(201);
    const task = created.json() as { id: number };
    expect(task).toEqual({ id: task.id, title: 'Write the docs', done: false, priority: 'normal', tags: ['docs'], owner: 'ada' });

    expect((await client.get(`/tasks/${task.id}`, { headers: ada })).json()).toEqual(task);
    const changed = await client.patch(`/tasks/${task.id}`, { headers: ada, json: { done: true } });
    expect(changed.json()).toEqual({ ...task, done: true });

    const deleted = await client.delete(`/tasks/${task.id}`, { headers: ada });
    expect([deleted.status, deleted.body.length]).toEqual([204, 0]);
    const gone = await client.get(`/tasks/${task.id}`, { headers: ada });
    expect([gone.status, gone.json()]).toEqual([404, { detail: `Task ${task.id} not found` }]);
  });

  it("keeps each user's tasks their own", async () => {
    const mine = (await client.post('/tasks', { headers: ada, json: { title: 'mine' } })).json() as { id: number };
    expect((await client.get(`/tasks/${mine.id}`, { headers: grace })).status).toBe(404);
    expect((await client.get('/tasks', { headers: grace })).json()).toEqual([]);
  });

  it('filters the list by query parameters, coerced from strings', async () => {
    await client.post('/tasks', { headers: ada, json: { title: 'a', tags: ['home'] } });
    await client.post('/tasks', { headers: ada, json: { title: 'b', tags: ['home', 'urgent'], done: true } });
    await client.post('/tasks', { headers: ada, json: { title: 'c', tags: ['work'] } });
    const titles = async (query: string): Promise<string[]> => ((await client.get(`/tasks?${query}`, { headers: ada })).json() as { title: string }[]).map((task) => task.title);
    expect(await titles('tag=home')).toEqual(['a', 'b']);
    expect(await titles('tag=home&tag=urgent')).toEqual(['b']);
    expect(await titles('done=false')).toEqual(['a', 'c']);
    expect(await titles('limit=1')).toEqual(['a']);
  });

  it('answers invalid input with 422 listing every problem, in FastAPI\'s shape', async () => {
    const response = await client.post('/tasks', { headers: ada, json: { title: '', priority: 'urgent', tags: 'x' } });
    expect(response.status).toBe(422);
    const { detail } = response.json() as { detail: { loc: (string | number)[]; type: string }[] };
    expect(detail.map((issue) => [issue.loc.join('.'), issue.type])).toEqual([
      ['body.title', 'string_too_short'],
      ['body.priority', 'enum'],
      ['body.tags', 'list_type'],
    ]);
    const badQuery = await client.get('/tasks?limit=0&done=maybe', { headers: ada });
    expect((badQuery.json() as { detail: { loc: string[] }[] }).detail.map((issue) => issue.loc.join('.'))).toEqual(['query.done', 'query.limit']);
    const badJson = await client.post('/tasks', { headers: { ...ada, 'content-type': 'application/json' }, body: '{"title": ' });
    expect([badJson.status, (badJson.json() as { detail: { type: string }[] }).detail[0]!.type]).toEqual([422, 'json_invalid']);
  });

  it('takes an uploaded attachment as a multipart form', async () => {
    const task = (await client.post('/tasks', { headers: ada, json: { title: 'with a file' } })).json() as { id: number };
    const uploaded = await client.post(`/tasks/${task.id}/attachments`, { headers: ada, files: { file: ['notes.txt', 'twelve bytes', 'text/plain'] } });
    expect([uploaded.status, uploaded.json()]).toEqual([201, { filename: 'notes.txt', contentType: 'text/plain', size: 12 }]);
    expect((await client.get(`/tasks/${task.id}/attachments`, { headers: ada })).json()).toEqual([{ filename: 'notes.txt', contentType: 'text/plain', size: 12 }]);
    const missingFile = await client.post(`/tasks/${task.id}/attachments`, { headers: ada, files: { other: ['x.txt', 'x'] } });
    expect([missingFile.status, (missingFile.json() as { detail: { loc: string[] }[] }).detail[0]!.loc]).toEqual([422, ['body', 'file']]);
  });

  it('gives every borrowed connection back after the response, also when the request failed', async () => {
    await client.post('/tasks', { headers: ada, json: { title: 'x' } });
    await client.get('/tasks/999', { headers: ada });
    await client.post('/tasks', { headers: ada, json: { title: '' } });
    expect((await client.get('/health')).json()).toEqual({ status: 'ok', connectionsInUse: 0 });
  });

  it('streams task changes as server-sent events, replaying after Last-Event-ID', async () => {
    const first = (await client.post('/tasks', { headers: ada, json: { title: 'first' } })).json() as { id: number };
    await client.post('/tasks', { headers: grace, json: { title: "grace's" } });
    const feed = await client.stream('GET', '/events', { headers: { ...ada, 'last-event-id': '0' } });
    expect([feed.status, feed.headers.get('content-type'), feed.headers.get('cache-control')]).toEqual([200, 'text/event-stream; charset=utf-8', 'no-cache']);
    const text = feed.iterText();
    expect((await text.next()).value).toBe(`event: created\nid: 1\ndata: ${JSON.stringify({ id: first.id, title: 'first', done: false, priority: 'normal', tags: [], owner: 'ada' })}\n\n`);
    await client.patch(`/tasks/${first.id}`, { headers: ada, json: { done: true } });
    expect((await text.next()).value).toMatch(/^event: updated\nid: 3\ndata: \{"id":\d+,"title":"first","done":true,/);
    feed.close();

    const resumed = await client.stream('GET', '/events', { headers: { ...ada, 'last-event-id': '1' } });
    expect((await resumed.iterText().next()).value).toMatch(/^event: updated\nid: 3\n/);
    resumed.close();
  });
});

describe('tasks API lifespan', () => {
  it('opens the database at startup and closes it at shutdown, ending the open event feeds', async () => {
    const client = new TestClient(api);
    await expect(client.get('/health')).rejects.toThrow(/lifespan dependency openDatabase was used before the app's lifespan started/);
    await client.start();
    const feed = await client.stream('GET', '/events', { headers: ada });
    await client.close();
    expect(await feed.read()).toBeUndefined();
  });
});
