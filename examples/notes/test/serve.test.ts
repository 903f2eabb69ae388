import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Server } from '@portico/server';
import { app } from '../app';

/** The same App, served by the HTTP/1.1 host over loopback. */
describe('notes API over HTTP/1.1', () => {
  let server: Server;
  beforeAll(async () => {
    server = new Server(app, { host: '127.0.0.1', port: 0, lifespan: 'on', logLevel: 'warning' });
    await server.start();
  });
  afterAll(() => server.close());

  it('serves requests end to end', async () => {
    const created = await fetch(`${server.url}/notes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Over the wire' }) });
    expect(created.status).toBe(201);
    const note = (await created.json()) as { id: number };
    const fetched = await fetch(`${server.url}/notes/${note.id}`);
    expect(await fetched.json()).toEqual({ id: note.id, title: 'Over the wire', body: '', tags: [] });
    const missing = await fetch(`${server.url}/notes/999`);
    expect([missing.status, await missing.json()]).toEqual([404, { error: 'note 999 does not exist' }]);
  });

  it('takes a multipart upload from fetch and sends compressed JSON back', async () => {
    const created = await fetch(`${server.url}/notes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'With a file' }) });
    const { id } = (await created.json()) as { id: number };
    const form = new FormData();
    form.append('file', new Blob(['x'.repeat(200_000)], { type: 'text/plain' }), 'big.txt');
    const uploaded = await fetch(`${server.url}/notes/${id}/attachments`, { method: 'POST', body: form });
    expect([uploaded.status, await uploaded.json()]).toEqual([201, { filename: 'big.txt', contentType: 'text/plain', size: 200_000 }]);
    const download = await fetch(`${server.url}/notes/${id}/attachments/big.txt`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(download.headers.get('content-encoding')).toBe('br'); // fetch decodes it
    expect((await download.text()).length).toBe(200_000);
  });
});

/** What a user runs: `npx portico serve examples/notes/app.ts` (the built CLI, the app loaded through tsx). */
describe('notes API served by the portico CLI', () => {
  it('answers over HTTP and stops cleanly on SIGTERM', async () => {
    const repo = join(__dirname, '..', '..', '..');
    const cli = spawn(process.execPath, [join(repo, 'packages', 'server', 'bin', 'portico.js'), 'serve', 'examples/notes/app.ts', '--port', '0'], {
      cwd: repo,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => cli.once('close', resolve));
    try {
      const origin = await new Promise<string>((resolve, reject) => {
        let log = '';
        cli.stderr.on('data', (chunk: Buffer) => {
          log += chunk.toString();
          const match = /running on (http:\/\/\S+)/.exec(log);
          if (match) resolve(match[1]!);
        });
        void exited.then((code) => reject(new Error(`portico exited with ${code}:\n${log}`)));
      });
      const created = await fetch(`${origin}/notes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'From the CLI' }) });
      expect(created.status).toBe(201);
      const listed = (await (await fetch(`${origin}/notes`)).json()) as { title: string }[];
      expect(listed.map((note) => note.title)).toContain('From the CLI');
    } finally {
      cli.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 60_000);
});
