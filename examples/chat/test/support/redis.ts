import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll } from '@jest/globals';
import { findSystemProgram, programPath } from '@portico/protocol/testing';

/**
 * redis-server (`REDIS_SERVER=/path` to choose one). A smaller twin of the broadcast tests' helper
 * (packages/broadcast/test/support/redis.ts): soak/ type-checks this folder, and may not import from outside its include.
 */
export const REDIS_SERVER = findSystemProgram({ name: 'redis-server' });

/** One redis-server without persistence on a free loopback port for the tests of a file; returns its URL. */
export function useRedis(): () => string {
  let url = '';
  let stop = async (): Promise<void> => undefined;
  beforeAll(async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    const server = spawn(programPath(REDIS_SERVER), ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise((resolve) => server.once('exit', resolve));
    stop = async () => {
      server.kill('SIGKILL');
      await exited;
    };
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) resolve();
      };
      server.stdout.on('data', onData);
      server.stderr.on('data', onData);
      void exited.then(() => reject(new Error(`redis-server exited at start:\n${output}`)));
    });
    url = `redis://127.0.0.1:${port}/0`;
  });
  afterAll(() => stop());
  return () => url;
}
