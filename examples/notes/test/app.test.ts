import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { TestClient } from '@portico/framework';
import { app } from '../app';

let client: TestClient;
beforeEach(async () => {
  client = new TestClient(app);
  await client.start(); // a fresh, empty store per test (the lifespan creates it)
});
afterEach(() => client.close());

describe('notes API', () => {
  it('creates, reads, lists by tag, updates and deletes a note', async () => {
    const created = await client.post('/notes', { json: { title: 'Groceries', body: 'milk', tags: ['home'] } });
    expect(created.status).toBe(201);
    expect(created.json()).toEqual({ id: 1, title: 'Groceries', body: 'milk', tags: ['home'] });
    expect(created.headers.get('location')).toBe('/notes/1');
    await client.post('/notes', { json: { title: 'Standup', tags: ['work'] } });

    expect((await client.get('/notes/1')).json()).toMatchObject({ title: 'Groceries' });
    expect((await client.get('/notes', { query: { tag: 'work' } })).json()).toEqual([{ id: 2, title: 'Standup', body: '', tags: ['work'] }]);
    expect((await client.patch('/notes/1', { json: { body: 'milk, eggs' } })).json()).toEqual({ id: 1, title: 'Groceries', body: 'milk, eggs', tags: ['home'] });

    expect((await client.delete('/notes/1')).status).toBe(204);
    expect((await client.get('/notes')).json()).toEqual([{ id: 2, title: 'Standup', body: '', tags: ['work'] }]);
  });

  it('answers a missing note with a JSON 404 from the NoteNotFound handler', async () => {
    const response = await client.get('/notes/41');
    expect([response.status, response.json()]).toEqual([404, { error: 'note 41 does not exist' }]);
    expect((await client.delete('/notes/41')).status).toBe(404);
  });

  it('answers an invalid note with 422 and every problem', async () => {
    const response = await client.post('/notes', { json: { title: '', tags: 'x', colour: 'red' } });
    expect(response.status).toBe(422);
    expect(response.json()).toEqual({ error: 'invalid note', problems: ["unknown field 'colour'", "'title' must be a non-empty string", "'tags' must be a list of strings"] });
  });

  it('answers broken JSON with a JSON 400', async () => {
    const response = await client.post('/notes', { body: '{"title":', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(400);
    expect((response.json() as { error: string }).error).toMatch(/^The request body is not valid JSON/);
  });

  it('answers unknown paths, ids that are not numbers and wrong methods in JSON', async () => {
    expect((await client.get('/nope')).json()).toEqual({ error: 'Not Found' });
    expect((await client.get('/notes/abc')).status).toBe(404);
    const wrongMethod = await client.put('/notes/1', { json: {} });
    expect([wrongMethod.status, wrongMethod.headers.get('allow'), wrongMethod.json()]).toEqual([405, 'GET, HEAD', { error: 'Method Not Allowed' }]);
  });

  it('times every response in the middleware, errors included', async () => {
    for (const path of ['/notes', '/notes/99', '/nope']) {
      expect((await client.get(path)).headers.get('server-timing')).toMatch(/^app;dur=\d+\.\d$/);
    }
  });
});
