import { chmod } from 'node:fs/promises';
import type { Server as NetServer } from 'node:net';
import type { ServerConfig } from './config';
import type { BoundAddress } from './host';

/**
 * Bind a `node:net` server (or an `http`/`https` one, which is one) where the config says: a Unix
 * socket (`uds`, made connectable by any local user, like Uvicorn), an inherited `fd`, or
 * `host`/`port`. A failed bind rejects with an error naming the address.
 */
export async function bindServer(server: NetServer, config: ServerConfig): Promise<BoundAddress> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const done = (): void => {
      server.off('error', reject);
      resolve();
    };
    if (config.uds !== undefined) server.listen(config.uds, done);
    else if (config.fd !== undefined) server.listen({ fd: config.fd }, done);
    else server.listen({ host: config.host, port: config.port }, done);
  }).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`Could not listen on ${where(config)}: ${error.code === 'EADDRINUSE' ? 'the address is already in use' : error.message}`, {
      cause: error,
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') {
    if (config.uds !== undefined) await chmod(config.uds, 0o666);
    return { kind: 'unix', path: address ?? config.uds ?? '' };
  }
  return { kind: 'tcp', host: address.address, port: address.port, family: address.family === 'IPv6' ? 'IPv6' : 'IPv4' };
}

function where(config: ServerConfig): string {
  if (config.uds !== undefined) return `unix socket ${config.uds}`;
  if (config.fd !== undefined) return `fd ${config.fd}`;
  return `${config.host}:${config.port}`;
}
