import { BroadcastUrlError } from './errors';

/** A backend URL, checked: `memory://`, or a Redis server and database. */
export type BackendUrl = { kind: 'memory' } | { kind: 'redis'; url: string; shown: string };

const EXPECTED = 'memory:// or redis://host:port/db (rediss:// for TLS)';

/**
 * Reads a backend URL once, in the constructor, so a typo fails at startup and not on the first
 * publish. `where` names the caller in the message (`new Broadcast(url)`).
 */
export function parseBackendUrl(given: unknown, where: string): BackendUrl {
  if (typeof given !== 'string' || given.trim() === '') throw new BroadcastUrlError(`${where} takes ${EXPECTED}, got ${show(given)}`);
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new BroadcastUrlError(`${where} takes ${EXPECTED}, got ${show(given)} (not a URL)`);
  }
  if (url.protocol === 'memory:') {
    if (url.host !== '' || (url.pathname !== '' && url.pathname !== '/')) throw new BroadcastUrlError(`${where}: memory:// takes no host or path, got ${show(given)}`);
    return { kind: 'memory' };
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new BroadcastUrlError(`${where} takes ${EXPECTED}, got ${show(given)}`);
  if (url.hostname === '') throw new BroadcastUrlError(`${where} needs a host in ${show(given)}: redis://127.0.0.1:6379/0`);
  const db = url.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw new BroadcastUrlError(`${where}: the path of ${show(given)} is a database number (redis://host:port/0), got '/${db}'`);
  return { kind: 'redis', url: given, shown: redact(url) };
}

/** The URL for messages and logs, without its password. */
function redact(url: URL): string {
  if (url.password === '') return url.href;
  const copy = new URL(url.href);
  copy.password = '***';
  return copy.href;
}

/** The given URL quoted, with any password masked. */
function show(value: unknown): string {
  if (typeof value !== 'string') return value === undefined ? 'undefined' : typeof value;
  try {
    const url = new URL(value);
    if (url.password !== '') return `'${redact(url)}'`;
  } catch {
    // Not a URL: nothing to mask.
  }
  return `'${value}'`;
}
