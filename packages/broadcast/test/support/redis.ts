import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from '@jest/globals';
import { createClient, type RedisClientType } from '@redis/client';
import { findSystemProgram, freePort, programPath } from '@portico/protocol/testing';

/** redis-server (`REDIS_SERVER=/path` to choose one); `.ci/run` installs the package. Wrap its tests in `withSystemPrograms([REDIS_SERVER], ...)`. */
export const REDIS_SERVER = findSystemProgram({ name: 'redis-server' });

/** A redis-server on loopback that a test can kill and start again on the same port. */
export interface TestRedis {
  readonly port: number;
  /** `redis://127.0.0.1:<port>/0` */
  readonly url: string;
  /** Kills it (SIGKILL: an outage, not a shutdown) and resolves once it is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port; resolves once it accepts connections. */
  start(): Promise<void>;
}

/** Starts redis-server without persistence in a temp folder; resolves once its log says it is ready. */
export async function startRedis(): Promise<TestRedis & { stop(): Promise<void> }> {
  const binary = programPath(REDIS_SERVER);
  const dir = mkdtempSync(join(tmpdir(), 'portico-redis-'));
  const port = await freePort();
  let child: ChildProcess | null = null;

  async function start(): Promise<void> {
    const server = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = server;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) resolve();
      };
      server.stdout?.on('data', onData);
      server.stderr?.on('data', onData);
      server.once('exit', (code) => reject(new Error(`redis-server exited with ${code} at start:\n${output}`)));
    });
  }

  async function kill(): Promise<void> {
    const running = child;
    child = null;
    if (running === null || running.exitCode !== null || running.signalCode !== null) return;
    const gone = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await gone;
  }

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    kill,
    start,
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One redis-server for the tests of a file: started before them, stopped after. */
export function useRedis(): () => TestRedis {
  let redis: (TestRedis & { stop(): Promise<void> }) | null = null;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  return () => {
    if (redis === null) throw new Error('useRedis(): the redis-server did not start');
    return redis;
  };
}

/** A plain client on the file's redis-server, to look at Redis from outside the code under test; closed after the tests. */
export function useInspector(redis: () => TestRedis): () => RedisClientType {
  let inspector: RedisClientType | null = null;
  beforeAll(async () => {
    const client: RedisClientType = createClient({ url: redis().url });
    client.on('error', () => undefined);
    await client.connect();
    inspector = client;
  });
  afterAll(() => inspector?.destroy());
  return () => {
    if (inspector === null) throw new Error('useInspector(): the client did not connect');
    return inspector;
  };
}
