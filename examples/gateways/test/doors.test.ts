import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import { connect as connectHttp2 } from 'node:http2';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { withSystemPrograms } from '@portico/protocol/testing';
import { Server, toFetchHandler, toNodeHandler, type ServerOptions } from '@portico/server';
import express from 'express';
import { NGINX, startNginx, type RunningNginx } from '../../../packages/server/test/support/nginx';
import { app } from '../app';

const EXAMPLE = join(__dirname, '..');
const REPO = join(EXAMPLE, '..', '..');

interface Door {
  httpVersion: string;
  scheme: string;
  rootPath: string;
  path: string;
  query: string | null;
  userAgent: string | null;
  startedAt: string | null;
}

const servers: Server[] = [];
let nginx: RunningNginx | null = null;
afterEach(async () => {
  await nginx?.stop();
  nginx = null;
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(options: ServerOptions): Promise<Server> {
  const server = new Server(app, { port: 0, logLevel: 'warning', ...options });
  servers.push(server);
  await server.start();
  return server;
}

/** The same two requests through any door that speaks HTTP/1.1 to the test. */
async function checkOverHttp(origin: string): Promise<Door> {
  const echoed = await fetch(`${origin}/echo`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'same app' });
  expect([echoed.status, await echoed.text()]).toEqual([200, 'same app']);
  const door = await fetch(`${origin}/door?q=1`, { headers: { 'user-agent': 'doors-test' } });
  return (await door.json()) as Door;
}

describe('examples/gateways: one app, every door', () => {
  it('HTTP/1.1: portico serve app.ts', async () => {
    const server = await start({});
    expect(await checkOverHttp(server.url)).toMatchObject({ httpVersion: '1.1', path: '/door', query: '1', userAgent: 'doors-test', startedAt: expect.any(String) });
  });

  it('HTTP/2 (h2c): portico serve app.ts --http 2', async () => {
    const server = await start({ http: '2' });
    const session = connectHttp2(server.url);
    try {
      const body = await new Promise<string>((resolve, reject) => {
        const stream = session.request({ ':path': '/door?q=2' });
        let text = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => (text += chunk));
        stream.on('end', () => resolve(text));
        stream.on('error', reject);
      });
      expect(JSON.parse(body)).toMatchObject({ httpVersion: '2', path: '/door', query: '2' });
    } finally {
      session.close();
    }
  });

  withSystemPrograms([NGINX], () => {
    it('FastCGI behind nginx, with the README config (nginx-fastcgi.conf)', async () => {
      const server = await start({ interface: 'fastcgi' });
      const port = server.address.kind === 'tcp' ? server.address.port : 0;
      const location = readFileSync(join(EXAMPLE, 'nginx-fastcgi.conf'), 'utf8').replace('127.0.0.1:9000', `127.0.0.1:${port}`);
      nginx = await startNginx(location);
      expect(await checkOverHttp(nginx.origin)).toMatchObject({ httpVersion: '1.1', path: '/door', query: '1', userAgent: 'doors-test', startedAt: expect.any(String) });
    });
  });

  it('CGI: portico cgi app.ts, run as a web server runs a script', async () => {
    const env = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      GATEWAY_INTERFACE: 'CGI/1.1',
      REQUEST_METHOD: 'GET',
      SCRIPT_NAME: '/cgi-bin/gateways',
      PATH_INFO: '/door',
      QUERY_STRING: 'q=3',
      SERVER_NAME: 'localhost',
      SERVER_PORT: '80',
      SERVER_PROTOCOL: 'HTTP/1.1',
      REMOTE_ADDR: '127.0.0.1',
      HTTP_USER_AGENT: 'doors-test',
    };
    const output = await new Promise<string>((resolve, reject) => {
      // Its log (stderr, the web server's error log) is kept for a failure message, not printed.
      const child = spawn(process.execPath, [join(REPO, 'packages', 'server', 'bin', 'portico.js'), 'cgi', join(EXAMPLE, 'app.ts')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      let log = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
      child.once('error', reject);
      child.once('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`portico cgi exited with ${code}: ${text}\n${log}`))));
    });
    const [head = '', body = ''] = output.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toBe('Status: 200 OK');
    expect(JSON.parse(body)).toMatchObject({ rootPath: '/cgi-bin/gateways', path: '/door', query: '3', userAgent: 'doors-test', startedAt: expect.any(String) });
  });

  it('fetch: toFetchHandler(app), a (Request) => Promise<Response>', async () => {
    const handler = toFetchHandler(app);
    const echoed = await handler(new Request('http://gateways.test/echo', { method: 'POST', body: 'same app', headers: { 'content-type': 'text/plain' } }));
    expect(await echoed.text()).toBe('same app');
    const door = (await (await handler(new Request('http://gateways.test/door?q=4'))).json()) as Door;
    expect(door).toMatchObject({ path: '/door', query: '4' });
  });

  it('inside Express: expressApp.use(\'/portico\', toNodeHandler(app))', async () => {
    const outer = express();
    outer.get('/health', (_req, res) => void res.send('express itself'));
    outer.use('/portico', toNodeHandler(app));
    const listening: HttpServer = await new Promise((resolve) => {
      const server = outer.listen(0, '127.0.0.1', () => resolve(server));
    });
    try {
      const address = listening.address() as { port: number };
      const origin = `http://127.0.0.1:${address.port}`;
      expect(await (await fetch(`${origin}/health`)).text()).toBe('express itself');
      expect(await checkOverHttp(`${origin}/portico`)).toMatchObject({ httpVersion: '1.1', rootPath: '/portico', path: '/door', query: '1' });
    } finally {
      await new Promise((resolve) => listening.close(resolve));
    }
  });
});
