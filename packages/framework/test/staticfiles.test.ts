import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { httpScope, type ReceiveEvent, type SendEvent } from '@portico/protocol';
import { App, JSONResponse, Mount, Route, StaticFiles, StaticFilesError, TestClient } from '@portico/framework';

// root/secret.txt sits next to the served directory root/public; symlinks lead out of it.
const root = mkdtempSync(join(tmpdir(), 'portico-static-'));
const publicDir = join(root, 'public');
mkdirSync(join(publicDir, 'sub'), { recursive: true });
writeFileSync(join(root, 'secret.txt'), 'TOP SECRET');
writeFileSync(join(publicDir, 'app.css'), 'body { color: teal }');
writeFileSync(join(publicDir, 'notes.txt'), 'abcdefghijklmnopqrstuvwxyz');
writeFileSync(join(publicDir, 'my notes.txt'), 'spaces');
writeFileSync(join(publicDir, 'index.html'), '<h1>home</h1>');
writeFileSync(join(publicDir, '404.html'), '<h1>lost</h1>');
writeFileSync(join(publicDir, 'sub', 'index.html'), '<h1>sub</h1>');
symlinkSync(join(publicDir, 'notes.txt'), join(publicDir, 'link-inside.txt'));
symlinkSync(join(root, 'secret.txt'), join(publicDir, 'escape.txt'));
symlinkSync(root, join(publicDir, 'escape-dir'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const app = new App({
  routes: [
    new Mount('/static', new StaticFiles({ directory: publicDir }), { name: 'static' }),
    new Mount('/site', new StaticFiles({ directory: publicDir, html: true })),
    new Mount('/linked', new StaticFiles({ directory: publicDir, followSymlinks: true })),
    new Route('/where', (request) => new JSONResponse({ css: request.urlFor('static', { path: '/app.css' }).path })),
  ],
  exceptionHandlers: { 404: (request) => new JSONResponse({ missing: request.url.path }, { status: 404 }) },
});
const client = new TestClient(app, { followRedirects: false });

/**
 * A request with the path exactly as an attacker would send it. The TestClient (like any WHATWG
 * URL parser) would resolve `..` and `%2e%2e` before sending; a real server passes them on.
 */
async function rawGet(rawPath: string): Promise<{ status: number; body: string }> {
  const events: SendEvent[] = [];
  const scope = httpScope({ path: decodeURIComponent(rawPath), rawPath });
  let received = false;
  const receive = async (): Promise<ReceiveEvent> => {
    if (received) return new Promise(() => undefined); // the client stays until the response is complete
    received = true;
    return { type: 'http.request', body: new Uint8Array(0), moreBody: false };
  };
  await app(scope, receive, async (event) => void events.push(event));
  const start = events.find((event) => event.type === 'http.response.start') as { status: number };
  const body = events.flatMap((event) => (event.type === 'http.response.body' && event.body ? [Buffer.from(event.body)] : []));
  return { status: start.status, body: Buffer.concat(body).toString() };
}

describe('StaticFiles', () => {
  it('serves a file through FileResponse: its type, length, ETag and Last-Modified', async () => {
    const response = await client.get('/static/app.css');
    expect([response.status, response.text, response.headers.get('content-type'), response.headers.get('content-length')]).toEqual([200, 'body { color: teal }', 'text/css; charset=utf-8', '20']);
    expect(response.headers.has('etag')).toBe(true);
    expect(response.headers.has('last-modified')).toBe(true);
    expect((await client.get('/static/my%20notes.txt')).text).toBe('spaces');
  });

  it('answers conditional, range and HEAD requests as FileResponse does', async () => {
    const etag = (await client.get('/static/notes.txt')).headers.get('etag')!;
    expect((await client.get('/static/notes.txt', { headers: { 'if-none-match': etag } })).status).toBe(304);
    const range = await client.get('/static/notes.txt', { headers: { range: 'bytes=0-4' } });
    expect([range.status, range.text, range.headers.get('content-range')]).toEqual([206, 'abcde', 'bytes 0-4/26']);
    const head = await client.head('/static/notes.txt');
    expect([head.status, head.body.length, head.headers.get('content-length')]).toEqual([200, 0, '26']);
  });

  it.each([
    '/static/../secret.txt',
    '/static/%2e%2e/secret.txt',
    '/static/%2E%2E%2Fsecret.txt',
    '/static/sub/../../secret.txt',
    '/static/sub/%2e%2e/%2e%2e/secret.txt',
    '/static/..%5csecret.txt',
    `/static/${encodeURIComponent(join(root, 'secret.txt'))}`,
    '/static//etc/passwd',
    '/static/notes.txt%00.css',
    '/static/escape.txt',
    '/static/escape-dir/secret.txt',
  ])('never serves outside its directory: %s is a 404', async (rawPath) => {
    const response = await rawGet(rawPath);
    expect(response.status).toBe(404);
    expect(response.body).not.toContain('TOP SECRET');
  });

  it('follows symlinks inside the directory, and out of it only with followSymlinks', async () => {
    expect((await client.get('/static/link-inside.txt')).text).toBe('abcdefghijklmnopqrstuvwxyz');
    expect((await client.get('/linked/escape.txt')).text).toBe('TOP SECRET');
    expect((await rawGet('/linked/../secret.txt')).status).toBe(404); // following links never means following `..`
  });

  it('answers a missing file or a directory with the app 404 handler', async () => {
    const missing = await client.get('/static/nope.css');
    expect([missing.status, missing.json()]).toEqual([404, { missing: '/static/nope.css' }]);
    expect((await client.get('/static/sub/')).status).toBe(404);
  });

  it('serves index.html and 404.html in html mode, redirecting a directory to its slash form', async () => {
    expect((await client.get('/site/')).text).toBe('<h1>home</h1>');
    const redirect = await client.get('/site/sub?x=1');
    expect([redirect.status, redirect.headers.get('location')]).toEqual([307, 'http://testserver/site/sub/?x=1']);
    expect((await client.get('/site/sub/')).text).toBe('<h1>sub</h1>');
    const lost = await client.get('/site/nope');
    expect([lost.status, lost.text, lost.headers.get('content-type')]).toEqual([404, '<h1>lost</h1>', 'text/html; charset=utf-8']);
  });

  it('answers other methods than GET and HEAD with 405 and Allow', async () => {
    const response = await client.post('/static/app.css');
    expect([response.status, response.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
  });

  it('is reversible through its Mount name', async () => {
    expect((await client.get('/where')).json()).toEqual({ css: '/static/app.css' });
  });

  it('checks that the directory exists, unless told not to', async () => {
    expect(() => new StaticFiles({ directory: join(root, 'nope') })).toThrow(StaticFilesError);
    expect(() => new StaticFiles({ directory: join(publicDir, 'app.css') })).toThrow(/does not exist or is not a directory/);
    const later = new StaticFiles({ directory: join(root, 'later'), checkDir: false });
    const standalone = new TestClient(later);
    expect((await standalone.get('/app.css')).status).toBe(404);
    mkdirSync(join(root, 'later'));
    writeFileSync(join(root, 'later', 'app.css'), 'late');
    expect((await standalone.get('/app.css')).text).toBe('late');
  });
});
