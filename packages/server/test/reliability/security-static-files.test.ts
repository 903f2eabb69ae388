/**
 * The traversal matrix against `StaticFiles` over real HTTP (raw request targets, so no client
 * normalises `..` away first): every way out of the directory is a 404 (or the server's 400/431)
 * and never the bytes of a file outside it. Symlinks out are refused unless `followSymlinks`.
 * `FileResponse` takes a path the app chose (it has no root of its own): a NUL or a directory is
 * an error answer, never a listing.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { App, FileResponse, Mount, StaticFiles } from '@portico/framework';
import { rawRequest } from '../support/raw-http';
import { useServers } from '../support/servers';

const start = useServers();
const SECRET = 'TOP-SECRET-BYTES';

const root = mkdtempSync(join(tmpdir(), 'portico-traversal-'));
const publicDir = join(root, 'public');
mkdirSync(join(publicDir, 'sub'), { recursive: true });
mkdirSync(join(root, 'public-secret'));
writeFileSync(join(publicDir, 'ok.txt'), 'public bytes');
writeFileSync(join(publicDir, 'sub', 'inner.txt'), 'inner bytes');
writeFileSync(join(root, 'secret.txt'), SECRET);
writeFileSync(join(root, 'public-secret', 'file.txt'), SECRET);
symlinkSync(join(root, 'secret.txt'), join(publicDir, 'link-out.txt'));
symlinkSync(root, join(publicDir, 'dir-link-out'));
symlinkSync(join(publicDir, 'ok.txt'), join(publicDir, 'link-in.txt'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function staticApp(): App {
  const app = new App({
    routes: [
      new Mount('/static', new StaticFiles({ directory: publicDir })),
      new Mount('/follow', new StaticFiles({ directory: publicDir, followSymlinks: true })),
    ],
  });
  app.get('/file-nul', () => new FileResponse(`${join(publicDir, 'ok.txt')}\0.png`));
  app.get('/file-dir', () => new FileResponse(publicDir));
  return app;
}

const get = (port: number, target: string): ReturnType<typeof rawRequest> => rawRequest(port, `GET ${target} HTTP/1.1\r\nHost: test\r\n\r\n`);

const ESCAPES = [
  '/static/../secret.txt',
  '/static/sub/../../secret.txt',
  '/static/..%2fsecret.txt',
  '/static/..%2Fsecret.txt',
  '/static/%2e%2e/secret.txt',
  '/static/%2E%2E%2Fsecret.txt',
  '/static/.%2e/secret.txt',
  '/static/..%5csecret.txt',
  '/static/sub%5c..%5c..%5csecret.txt',
  '/static/..%252fsecret.txt', // double-encoded: a literal '%2f' name, not a separator
  '/static/../public-secret/file.txt', // a sibling whose name starts like the directory
  '/static/..%2fpublic-secret%2ffile.txt',
  `/static/${encodeURIComponent(join(root, 'secret.txt'))}`, // an absolute path, encoded
  `/static/${join(root, 'secret.txt')}`, // '/static//tmp/...'
  '/static/%2fetc%2fpasswd',
  '/static//etc/passwd',
  '/static/ok.txt%00.png',
  '/static/%00',
  '/static/C:/Windows/win.ini',
  '/static/C:%5cWindows%5cwin.ini',
  '/static/c%3a%5c..%5csecret.txt',
  '/static/link-out.txt', // a symlink leading out
  '/static/dir-link-out/secret.txt', // through a symlinked directory leading out
  `/static/${'a/'.repeat(2000)}ok.txt`, // very long, under maxHeaderSize
  `/static/${'../'.repeat(2000)}secret.txt`,
];

describe('StaticFiles', () => {
  it('serves the files inside its directory, and links that stay inside it', async () => {
    const { port } = await start(staticApp());
    expect((await get(port, '/static/ok.txt')).body.toString()).toBe('public bytes');
    expect((await get(port, '/static/sub/inner.txt')).body.toString()).toBe('inner bytes');
    expect((await get(port, '/static/sub/../ok.txt')).status).toBe(404); // any '..' segment is refused, even one that stays inside
    expect((await get(port, '/static/link-in.txt')).body.toString()).toBe('public bytes');
  });

  /** Stable names: the temp folder is shown as <root>, long targets shortened. */
  const label = (target: string): string => {
    const named = target.replace(encodeURIComponent(root), '<root>').replace(root, '<root>');
    return named.length > 80 ? `${named.slice(0, 60)}... (${named.length} chars)` : named;
  };

  it.each(ESCAPES.map((target) => [label(target), target]))(
    '%s: 404 (or 400/431), never a file outside the directory',
    async (_label, target) => {
      const { port } = await start(staticApp());
      const response = await get(port, target);
      expect([400, 404, 431]).toContain(response.status);
      expect(response.body.toString()).not.toContain(SECRET);
    },
  );

  // With followSymlinks the real-path check is off: the path checks alone must hold.
  it.each(ESCAPES.filter((target) => !target.includes('link-out')).map((target) => [label(target).replace('/static/', '/follow/'), target.replace('/static/', '/follow/')]))(
    '%s (followSymlinks): 404 (or 400/431), never a file outside the directory',
    async (_label, target) => {
      const { port } = await start(staticApp());
      const response = await get(port, target);
      expect([400, 404, 431]).toContain(response.status);
      expect(response.body.toString()).not.toContain(SECRET);
    },
  );

  it('follows a symlink out of the directory only with followSymlinks', async () => {
    const { port } = await start(staticApp());
    expect((await get(port, '/static/link-out.txt')).status).toBe(404);
    expect((await get(port, '/follow/link-out.txt')).body.toString()).toBe(SECRET);
    expect((await get(port, '/follow/../secret.txt')).status).toBe(404); // followSymlinks opens links, not '..'
  });
});

describe('FileResponse', () => {
  it('answers 500 for a path with a NUL byte and for a directory, sending no file bytes', async () => {
    const { port } = await start(staticApp());
    for (const target of ['/file-nul', '/file-dir']) {
      const response = await get(port, target);
      expect(response.status).toBe(500);
      expect(response.body.toString()).not.toContain('public bytes');
    }
  });
});
