// @ts-check
/**
 * Server and load generator on separate cores, so neither steals the other's CPU:
 * `taskset -c <core>` in front of each command, when taskset exists and this process
 * may use at least two cores.
 */
import { spawnSync } from 'node:child_process';

/**
 * @typedef {{ server: string[], load: string[], note: string }} Pinning
 * `server` and `load` are prefixes for the commands (empty when not pinned).
 */

/** @param {string} list a cpu list as taskset prints it: "0-3,6" */
function parseCpuList(list) {
  return list.split(',').flatMap((part) => {
    const [from, to = from] = part.trim().split('-').map(Number);
    if (from === undefined || to === undefined || Number.isNaN(from) || Number.isNaN(to)) return [];
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });
}

/** @returns {Pinning} */
export function planPinning() {
  const probe = spawnSync('taskset', ['-cp', String(process.pid)], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return { server: [], load: [], note: 'not pinned (no taskset)' };
  const cores = parseCpuList(probe.stdout.split(':').pop() ?? '');
  const [server, load] = cores;
  if (server === undefined || load === undefined) return { server: [], load: [], note: 'not pinned (one core)' };
  return {
    server: ['taskset', '-c', String(server)],
    load: ['taskset', '-c', String(load)],
    note: `server on core ${server}, load generator on core ${load}`,
  };
}
