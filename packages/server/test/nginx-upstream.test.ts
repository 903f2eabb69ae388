import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { withSystemPrograms } from '@portico/protocol/testing';
import { FIXTURES, usePortico, type PorticoProcess } from './support/cli';
import { NGINX, startNginx, type RunningNginx } from './support/nginx';

interface Seen {
  pid: number;
  client: { host: string; port: number };
  scheme: string;
  host: string | null;
}

/**
 * The README's "Behind nginx / many machines" recipe: two Portico servers behind one nginx
 * upstream. nginx reaches the backends from 127.0.0.2 (proxy_bind) and only that address is a
 * trusted proxy; test clients connect from 127.0.0.1 or 127.0.0.3, so every peer differs.
 */
function upstreamConfig(ports: number[]): { http: string; server: string } {
  return {
    http: `
  upstream portico {
    ${ports.map((port) => `server 127.0.0.1:${port} max_fails=1 fail_timeout=30s;`).join('\n    ')}
  }`,
    server: `
    location / {
      proxy_pass http://portico;
      proxy_bind 127.0.0.2;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $host;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_next_upstream_tries 2;
    }`,
  };
}

function get(port: number, path: string, options: { localAddress?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; seen: Seen }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, localAddress: options.localAddress, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        try {
          resolve({ status: res.statusCode ?? 0, seen: JSON.parse(text) as Seen });
        } catch {
          reject(new Error(`${res.statusCode} ${text}`));
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

withSystemPrograms([NGINX], () => {
  describe('two Portico servers behind an nginx upstream', () => {
    const portico = usePortico();
    let nginx: RunningNginx | null = null;
    afterEach(async () => {
      await nginx?.stop();
      nginx = null;
    });

    async function backends(): Promise<{ processes: PorticoProcess[]; ports: number[] }> {
      const processes = [0, 1].map(() =>
        portico(['serve', join(FIXTURES, 'backend-app.js'), '--port', '0', '--forwarded-allow-ips', '127.0.0.2', '--no-access-log']),
      );
      const ports = await Promise.all(processes.map(async (process) => Number(new URL(await process.origin()).port)));
      return { processes, ports };
    }

    it('spreads requests and believes the proxy headers from nginx only', async () => {
      const { processes, ports } = await backends();
      const config = upstreamConfig(ports);
      nginx = await startNginx(config.server, config.http);

      const answers = await Promise.all(Array.from({ length: 10 }, () => get(nginx!.port, '/', { localAddress: '127.0.0.3', headers: { host: 'shop.example' } })));
      const pids = new Set(answers.map((answer) => answer.seen.pid));
      expect(pids).toEqual(new Set(processes.map((process) => process.child.pid)));
      // The client nginx saw, not nginx itself (127.0.0.2): X-Forwarded-For from a trusted peer.
      for (const { seen } of answers) expect(seen).toMatchObject({ client: { host: '127.0.0.3', port: 0 }, scheme: 'http', host: 'shop.example' });

      // A client forging X-Forwarded-For through nginx: nginx appends the real peer, and only that hop is believed.
      const forgedThroughNginx = await get(nginx.port, '/', { localAddress: '127.0.0.3', headers: { 'x-forwarded-for': '6.6.6.6' } });
      expect(forgedThroughNginx.seen.client.host).toBe('127.0.0.3');

      // The same forgery sent straight to a backend, from an untrusted peer: nothing is believed.
      const direct = await get(ports[0]!, '/', { localAddress: '127.0.0.1', headers: { 'x-forwarded-for': '6.6.6.6', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example', host: 'backend' } });
      expect(direct.seen).toMatchObject({ client: { host: '127.0.0.1' }, scheme: 'http', host: 'backend' });
      expect(direct.seen.client.port).not.toBe(0);
    });

    it('loses no request when a backend is killed: nginx retries them on the other', async () => {
      const { processes, ports } = await backends();
      const config = upstreamConfig(ports);
      nginx = await startNginx(config.server, config.http);
      const port = nginx.port;

      // Requests in flight on both backends when one dies with SIGKILL (no graceful shutdown).
      const inFlight = Array.from({ length: 12 }, () => get(port, '/slow'));
      await new Promise((resolve) => setTimeout(resolve, 30));
      const victim = processes[0]!;
      process.kill(victim.child.pid as number, 'SIGKILL');
      await victim.exited;
      const after = Array.from({ length: 12 }, () => get(port, '/'));
      const answers = await Promise.all([...inFlight, ...after]);
      expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
      expect(answers.slice(12).map((answer) => answer.seen.pid)).toEqual(answers.slice(12).map(() => processes[1]!.child.pid));
      // nginx saw the dead backend fail (refused, reset or closed mid-response) and retried elsewhere.
      expect(nginx.errorLog()).toMatch(/upstream server temporarily disabled/);
    });
  });
});
