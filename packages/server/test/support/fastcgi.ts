import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '@portico/protocol';
import { requestOverHttp, type RunningHost } from '@portico/protocol/conformance';
import { Server, type ServerOptions } from '@portico/server';
import { startNginx, type RunningNginx } from './nginx';

/** The location block of the README's recipe: Debian's fastcgi_params, kept connections, request bodies streamed (responses are buffered unless the app sends X-Accel-Buffering: no; a cut response needs buffering to reach the client as cut). */
export function fastcgiLocation(pass: string): string {
  return `
    location / {
      include /etc/nginx/fastcgi_params;
      fastcgi_pass ${pass};
      fastcgi_keep_conn on;
      fastcgi_request_buffering off;
    }`;
}

export interface NginxFastCgi {
  server: Server;
  nginx: RunningNginx;
  host: RunningHost;
}

/**
 * A Portico FastCGI server (TCP on a free port, or a Unix socket) with a real nginx in front
 * (`fastcgi_pass`), driven over HTTP/1.1 through nginx.
 */
export async function startNginxFastCgi(app: App, options: ServerOptions & { socket?: 'tcp' | 'unix' } = {}): Promise<NginxFastCgi> {
  const { socket = 'tcp', ...serverOptions } = options;
  const dir = socket === 'unix' ? mkdtempSync(join(tmpdir(), 'portico-fcgi-')) : null;
  const server = new Server(app, {
    interface: 'fastcgi',
    port: 0,
    logLevel: 'critical',
    ...(dir === null ? {} : { uds: join(dir, 'app.sock') }),
    ...serverOptions,
  });
  await server.start();
  const address = server.address;
  const pass = address.kind === 'unix' ? `unix:${address.path}` : `127.0.0.1:${address.port}`;
  let nginx: RunningNginx;
  try {
    nginx = await startNginx(fastcgiLocation(pass));
  } catch (error) {
    await server.close();
    throw error;
  }
  const agent = new Agent({ keepAlive: true });
  return {
    server,
    nginx,
    host: {
      request: (request) => requestOverHttp(nginx.origin, agent, request),
      close: async () => {
        agent.destroy();
        await nginx.stop();
        await server.close();
        if (dir !== null) rmSync(dir, { recursive: true, force: true });
      },
    },
  };
}
