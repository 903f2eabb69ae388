import { describe, expect, it } from '@jest/globals';
import { TestClient } from '@portico/framework';
import { z } from 'zod';
import { Api, bytes, form, multipart, uploadFile } from '@portico/api';

const Note = z.object({ title: z.string().min(1), tags: z.array(z.string()).default([]) });

const api = new Api()
  .post('/notes', { body: Note, status: 201 }, ({ body }) => body)
  .post('/login', { body: form(z.object({ username: z.string(), remember: z.boolean().default(false), age: z.number().optional() })) }, ({ body }) => body)
  .post('/photos', { body: multipart(z.object({ title: z.string(), photo: uploadFile(), count: z.number() })) }, async ({ body }) => ({
    title: body.title,
    count: body.count,
    filename: body.photo.filename,
    type: body.photo.contentType,
    content: Buffer.from(await body.photo.read()).toString(),
  }))
  .put('/blobs/:key', { body: bytes() }, ({ params, body }) => ({ key: params.key, size: body.length }))
  .put('/images/:key', { body: bytes('image/png') }, ({ body }) => ({ size: body.length }));

const client = new TestClient(api);

describe('request bodies', () => {
  it('parses a JSON body with defaults', async () => {
    const response = await client.post('/notes', { json: { title: 'Milk' } });
    expect(response.status).toBe(201);
    expect(response.json()).toEqual({ title: 'Milk', tags: [] });
  });

  it('answers malformed JSON with 422 json_invalid, never 500', async () => {
    const response = await client.post('/notes', { body: '{"title": ', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(422);
    const [issue] = (response.json() as { detail: Array<Record<string, unknown>> }).detail;
    expect(issue).toMatchObject({ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid', input: {}, ctx: { error: 'Unexpected end of JSON input' } });
  });

  it('answers a missing body with 422 missing', async () => {
    const response = await client.post('/notes', { headers: { 'content-type': 'application/json' } });
    expect(response.json()).toEqual({ detail: [{ loc: ['body'], msg: 'Field required', type: 'missing' }] });
  });

  it('refuses a JSON endpoint a non-JSON content type with 415 (no cross-site form posts)', async () => {
    const response = await client.post('/notes', { form: { title: 'Milk' } });
    expect(response.status).toBe(415);
    expect(response.json()).toEqual({ detail: 'Unsupported Media Type: expected application/json, got application/x-www-form-urlencoded' });
  });

  it('accepts +json media types and a body without Content-Type', async () => {
    expect((await client.post('/notes', { body: '{"title":"a"}', headers: { 'content-type': 'application/vnd.api+json' } })).status).toBe(201);
    expect((await client.post('/notes', { body: '{"title":"a"}' })).status).toBe(201);
  });

  it('parses an urlencoded form, coercing its fields', async () => {
    const response = await client.post('/login', { form: { username: 'ada', remember: 'on', age: '36' } });
    expect(response.json()).toEqual({ username: 'ada', remember: true, age: 36 });
    const invalid = await client.post('/login', { form: { age: 'old' } });
    expect(invalid.json()).toEqual({
      detail: [
        { loc: ['body', 'username'], msg: 'Field required', type: 'missing' },
        { loc: ['body', 'age'], msg: 'Invalid input: expected number, received string', type: 'float_parsing', input: 'old' },
      ],
    });
  });

  it('parses a multipart form with a file', async () => {
    const form = new FormData();
    form.append('title', 'Cat');
    form.append('count', '2');
    form.append('photo', new Blob(['meow'], { type: 'text/plain' }), 'cat.txt');
    const encoded = new Request('http://x/', { method: 'POST', body: form });
    const response = await client.post('/photos', { body: new Uint8Array(await encoded.arrayBuffer()), headers: { 'content-type': encoded.headers.get('content-type')! } });
    expect(response.json()).toEqual({ title: 'Cat', count: 2, filename: 'cat.txt', type: 'text/plain', content: 'meow' });
  });

  it('reports a missing file as a 422 and a urlencoded post to a multipart endpoint as 415', async () => {
    const form = new FormData();
    form.append('title', 'Cat');
    form.append('count', '2');
    const encoded = new Request('http://x/', { method: 'POST', body: form });
    const missing = await client.post('/photos', { body: new Uint8Array(await encoded.arrayBuffer()), headers: { 'content-type': encoded.headers.get('content-type')! } });
    expect(missing.status).toBe(422);
    expect((missing.json() as { detail: Array<{ loc: unknown[] }> }).detail.map((issue) => issue.loc)).toEqual([['body', 'photo']]);
    expect((await client.post('/photos', { form: { title: 'x' } })).status).toBe(415);
  });

  it('takes raw bytes, checking the media type only when one is declared', async () => {
    expect((await client.put('/blobs/a', { body: new Uint8Array([1, 2, 3]) })).json()).toEqual({ key: 'a', size: 3 });
    expect((await client.put('/images/a', { body: new Uint8Array([1, 2]), headers: { 'content-type': 'image/png' } })).json()).toEqual({ size: 2 });
    expect((await client.put('/images/a', { body: 'x', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
  });
});
