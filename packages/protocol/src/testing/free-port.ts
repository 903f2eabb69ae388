import { createServer } from 'node:net';

/**
 * A loopback port nothing listens on right now, for a program a test starts (nginx, redis-server,
 * a second server): bound and released, so another process could take it first, a race tests accept.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
