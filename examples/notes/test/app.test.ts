import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { TestClient } from '@portico/framework';
import { app } from '../app';

const frontEnd = 'http://localhost:5173'; // NOTES_CORS_ORIGINS' default

/** A multipart/form-data body encoded by the platform, as a browser's fetch would send it. */
async function upload(files: Array<{ name: string; content: string | Uint8Array; type: string }>): Promise<{ body: Buffer; headers: { 'content-type': string } }> {
  const form = new FormData();
  for (const { name, content, type } of files) form.append('file', new Blob([content], { type }), name);
  const encoded = new globalThis.Response(form);
  return { body: Buffer.from(await encoded.arrayBuffer()), headers: { 'content-type': encoded.headers.get('content-type')! } };
}

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

describe('notes API batteries', () => {
  it('lets the configured front end read every answer, errors included, and answers its preflights', async () => {
    const list = await client.get('/notes', { headers: { origin: frontEnd } });
    expect([list.headers.get('access-control-allow-origin'), list.headers.get('access-control-allow-credentials')]).toEqual([frontEnd, 'true']);
    expect((await client.get('/notes/99', { headers: { origin: frontEnd } })).headers.get('access-control-allow-origin')).toBe(frontEnd);
    const preflight = await client.options('/notes', { headers: { origin: frontEnd, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect([preflight.status, preflight.headers.get('access-control-allow-methods')]).toEqual([204, 'GET, POST, PATCH, DELETE']);
    expect((await client.get('/notes', { headers: { origin: 'https://elsewhere.example' } })).headers.has('access-control-allow-origin')).toBe(false);
  });

  it('compresses a long list and leaves a short answer alone', async () => {
    for (let i = 0; i < 20; i++) await client.post('/notes', { json: { title: `Note number ${i}`, body: 'something worth keeping' } });
    const list = await client.get('/notes', { headers: { 'accept-encoding': 'gzip' } });
    expect(list.headers.get('content-encoding')).toBe('gzip');
    expect(JSON.parse(gunzipSync(list.body).toString())).toHaveLength(20);
    expect((await client.get('/notes/1', { headers: { 'accept-encoding': 'gzip' } })).headers.has('content-encoding')).toBe(false);
  });

  it('remembers the notes a visitor opened, newest first, in a signed session cookie', async () => {
    for (const title of ['a', 'b', 'c']) await client.post('/notes', { json: { title } });
    for (const id of [1, 2, 3, 1]) await client.get(`/notes/${id}`);
    expect((await client.get('/recent')).json()).toEqual([1, 3, 2]);
    expect(client.cookies.get('notes_session')).toMatch(/^[\w-]+\.[0-9a-z]+\.[\w-]+$/);
    expect((await new TestClient(app).get('/recent')).json()).toEqual([]); // another visitor
  });

  it('serves its page and stylesheet as static files', async () => {
    const page = await client.get('/');
    expect([page.url, page.headers.get('content-type')]).toEqual(['http://testserver/static/', 'text/html; charset=utf-8']);
    expect(page.text).toContain('<h1>Notes</h1>');
    const css = await client.get('/static/app.css');
    expect([css.status, css.headers.get('content-type'), css.headers.has('etag')]).toEqual([200, 'text/css; charset=utf-8', true]);
  });

  it('takes an attachment as a multipart upload and hands it back as a download', async () => {
    await client.post('/notes', { json: { title: 'Receipts' } });
    const { body, headers } = await upload([{ name: 'receipt ✓.txt', content: 'milk 1.20', type: 'text/plain' }]);
    const created = await client.post('/notes/1/attachments', { body, headers });
    expect([created.status, created.json()]).toEqual([201, { filename: 'receipt ✓.txt', contentType: 'text/plain', size: 9 }]);
    const download = await client.get(created.headers.get('location')!);
    expect([download.text, download.headers.get('content-disposition'), download.headers.get('x-content-type-options')]).toEqual([
      'milk 1.20',
      "attachment; filename*=UTF-8''receipt%20%E2%9C%93.txt",
      'nosniff',
    ]);
  });

  it('answers an attachment that is too large, too many files or none at all, in JSON', async () => {
    await client.post('/notes', { json: { title: 'Receipts' } });
    const huge = await upload([{ name: 'huge.bin', content: new Uint8Array(1024 * 1024 + 1), type: 'application/octet-stream' }]);
    const tooLarge = await client.post('/notes/1/attachments', huge);
    expect([tooLarge.status, tooLarge.json()]).toEqual([413, { error: "The file 'huge.bin' is larger than the limit of 1048576 bytes." }]);
    const two = await upload([{ name: 'a.txt', content: 'a', type: 'text/plain' }, { name: 'b.txt', content: 'b', type: 'text/plain' }]);
    expect((await client.post('/notes/1/attachments', two)).json()).toEqual({ error: 'Too many files in the form: the limit is 1.' });
    const none = await client.post('/notes/1/attachments', { form: { file: 'not a file' } });
    expect([none.status, none.json()]).toEqual([400, { error: "attach the file as the multipart form field 'file'" }]);
    expect((await client.post('/notes/7/attachments', two)).status).toBe(404);
  });
});
