/**
 * A server under soak, in its own process so that its memory, file descriptors and handles are
 * its own: `node --expose-gc -r register.js server-child.ts` with SOAK_APP (notes, chat, soak),
 * SOAK_OPTIONS (JSON server options) and SOAK_DIR. It tells the parent its URL over IPC, then
 * answers `stats` requests with what it holds.
 */
import { createHook } from 'node:async_hooks';
import { readdirSync } from 'node:fs';
import type { App } from '@portico/protocol';
import { Server, type ServerOptions } from '@portico/server';
import { app as chat } from '../../examples/chat/app';
import { app as notes } from '../../examples/notes/app';
import type { ChildMessage, ParentMessage, ServerStats } from './messages';
import { app as soak } from './soak-app';

// All three are loaded (a few MiB in every baseline); only the one named is served.
const APPS: Record<string, App> = { notes, chat, soak };

/**
 * Timers alive, unref'd ones included (`getActiveResourcesInfo()` lists only those that keep the
 * process alive): counted with async hooks when SOAK_TRACK_TIMERS is set, since hooks slow every
 * promise down.
 */
const timers = new Set<number>();
if (process.env['SOAK_TRACK_TIMERS']) {
  createHook({
    init: (id, type) => void (type === 'Timeout' && timers.add(id)),
    destroy: (id) => void timers.delete(id),
  }).enable();
}

function reply(message: ChildMessage): void {
  process.send?.(message);
}

function stats(collect: boolean): ServerStats {
  if (collect) {
    // Twice: the first pass runs finalizers that free what the second collects.
    globalThis.gc?.();
    globalThis.gc?.();
  }
  const memory = process.memoryUsage();
  const resources: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) resources[name] = (resources[name] ?? 0) + 1;
  const directory = process.env['SOAK_DIR'];
  return {
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    external: memory.external,
    arrayBuffers: memory.arrayBuffers,
    fds: readdirSync('/proc/self/fd').length - 1, // less the one reading the folder
    resources,
    files: directory ? readdirSync(directory).length : 0,
    timers: process.env['SOAK_TRACK_TIMERS'] ? timers.size : null,
  };
}

async function main(): Promise<void> {
  const app = APPS[process.env['SOAK_APP'] ?? ''];
  if (app === undefined) throw new Error(`SOAK_APP must be one of ${Object.keys(APPS).join(', ')}`);
  const options = JSON.parse(process.env['SOAK_OPTIONS'] ?? '{}') as ServerOptions;
  const server = new Server(app, { host: '127.0.0.1', port: 0, accessLog: false, logLevel: 'warning', ...options });
  await server.start();
  process.on('message', (message: ParentMessage) => {
    if (message.kind === 'stats') reply({ kind: 'stats', id: message.id, stats: stats(message.collect) });
    else if (message.kind === 'stop') void server.close().then(() => process.disconnect());
  });
  reply({ kind: 'listening', url: server.url });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
