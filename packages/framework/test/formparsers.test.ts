import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { App as GatewayApp } from '@portico/protocol';
import { App, JSONResponse, Route, TestClient, UploadFile, type FormOptions } from '@portico/framework';
import { inPieces, multipart } from './support/multipart';

let tempDir: string;
beforeEach(() => {
  tempDir = mkdtempSync(join(tmpdir(), 'portico-forms-'));
});
afterEach(() => rmSync(tempDir, { recursive: true, force: true }));

/** Echoes the form: text fields as they are, files as their name, type, size and text. */
function formApp(options: FormOptions = {}): App {
  const echo = new Route(
    '/form',
    async (request) => {
      const form = await request.form({ tempDir, ...options });
      const fields: Array<[string, unknown]> = [];
      for (const [name, value] of form) {
        fields.push([name, value instanceof UploadFile ? { filename: value.filename, contentType: value.contentType, size: value.size, text: Buffer.from(await value.read()).toString() } : value]);
      }
      return new JSONResponse(fields);
    },
    { methods: ['POST'] },
  );
  return new App({ routes: [echo] });
}

const post = (app: GatewayApp, body: Uint8Array | Uint8Array[], headers: Record<string, string>) => new TestClient(app).post('/form', { body, headers });

/** Files larger than 8 bytes go to disk, so the limits are checked with temp files present. */
const spillEarly = { spoolMaxSize: 8 };

describe('multipart/form-data', () => {
  const form = multipart([
    { name: 'title', value: 'Groceries' },
    { name: 'tag', value: 'home' },
    { name: 'tag', value: 'urgent' },
    { name: 'note', value: 'milk, eggs\nand bread', filename: 'liste de courses ✓.txt', contentType: 'text/plain' },
    { name: 'title-ü', value: 'Café ✓' },
    { name: 'blob', value: 'raw bytes', contentType: 'application/octet-stream' },
    { name: 'sneaky', value: 'x', filename: '../../etc/passwd', contentType: 'text/plain' },
  ]);
  const expected = [
    ['title', 'Groceries'],
    ['tag', 'home'],
    ['tag', 'urgent'],
    ['note', { filename: 'liste de courses ✓.txt', contentType: 'text/plain', size: 20, text: 'milk, eggs\nand bread' }],
    ['title-ü', 'Café ✓'],
    ['blob', { contentType: 'application/octet-stream', size: 9, text: 'raw bytes' }],
    ['sneaky', { filename: 'passwd', contentType: 'text/plain', size: 1, text: 'x' }],
  ];

  it('reads fields (repeats kept, UTF-8) and files (the client path stripped from names) in order', async () => {
    const response = await post(formApp(), form.body, form.headers);
    expect(response.json()).toEqual(expected);
  });

  it('gives the same form however the body is cut into pieces', async () => {
    for (const size of [1, 7, 64]) {
      expect((await post(formApp(spillEarly), inPieces(form.body, size), form.headers)).json()).toEqual(expected);
    }
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('reads an urlencoded form under the same field limits', async () => {
    const app = formApp({ maxFields: 2, maxPartSize: 5 });
    const urlencoded = { 'content-type': 'application/x-www-form-urlencoded' };
    expect((await post(app, Buffer.from('a=1&b=2'), urlencoded)).json()).toEqual([['a', '1'], ['b', '2']]);
    const tooMany = await post(app, Buffer.from('a=1&b=2&c=3'), urlencoded);
    expect([tooMany.status, tooMany.text]).toEqual([400, 'Too many fields in the form: the limit is 2.']);
    const tooLarge = await post(app, Buffer.from('a=123456'), urlencoded);
    expect([tooLarge.status, tooLarge.text]).toEqual([413, "The form field 'a' is larger than the limit of 5 bytes."]);
  });
});

describe('multipart limits', () => {
  const file = (name: string, size = 100) => ({ name, value: 'f'.repeat(size), filename: `${name}.txt`, contentType: 'text/plain' });

  it.each([
    ['maxFiles', { maxFiles: 2 }, [file('a'), file('b'), file('c')], 400, 'Too many files in the form: the limit is 2.'],
    ['maxFields', { maxFields: 1 }, [file('a'), { name: 'x', value: '1' }, { name: 'y', value: '2' }], 400, 'Too many fields in the form: the limit is 1.'],
    ['maxPartSize', { maxPartSize: 10 }, [file('a'), { name: 'comment', value: 'this is longer than ten bytes' }], 413, "The form field 'comment' is larger than the limit of 10 bytes."],
    ['maxFileSize', { maxFileSize: 50 }, [file('a', 40), file('b', 60)], 413, "The file 'b.txt' is larger than the limit of 50 bytes."],
  ])('answers a form over %s, and leaves no temp file behind', async (_limit, options, parts, status, text) => {
    const { body, headers } = multipart(parts);
    const response = await post(formApp({ ...spillEarly, ...options }), inPieces(body, 32), headers);
    expect([response.status, response.text]).toEqual([status, text]);
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it.each([
    ['no boundary', Buffer.from('--x--'), 'multipart/form-data', /^The multipart form is malformed: Multipart: Boundary not found\.$/],
    ['a body cut short', multipart([file('a'), file('b')]).body.subarray(0, 330), undefined, /^The multipart form is malformed: Unexpected end of (form|file)\.$/],
    ['a broken part header', Buffer.from('------portico-test-boundary\r\nno colon here\r\n\r\nx\r\n------portico-test-boundary--\r\n'), undefined, /^The multipart form is malformed: Malformed part header\.$/],
  ])('answers a malformed form (%s) with 400 and removes what it spooled', async (_what, body, contentType, text) => {
    const headers = { 'content-type': contentType ?? multipart([]).headers['content-type'] };
    const response = await post(formApp(spillEarly), inPieces(body, 32), headers);
    expect(response.status).toBe(400);
    expect(response.text).toMatch(text);
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('removes spooled files when the client disconnects midway through an upload', async () => {
    const { body, headers } = multipart([file('a', 1000), file('b', 1000)]);
    const abort = new AbortController();
    let finished: () => void = () => undefined;
    const appDone = new Promise<void>((resolve) => (finished = resolve));
    const app = formApp(spillEarly);
    const watched: GatewayApp = (scope, receive, send) => app(scope, receive, send).finally(finished);
    async function* halfThenGone(): AsyncGenerator<Uint8Array> {
      yield body.subarray(0, 1500); // file a complete and on disk, file b begun
      abort.abort();
    }
    await expect(new TestClient(watched).post('/form', { body: halfThenGone(), headers, signal: abort.signal })).rejects.toThrow();
    await appDone;
    expect(readdirSync(tempDir)).toEqual([]);
  });
});
