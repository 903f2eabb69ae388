// @ts-check
/**
 * What every Node contender answers, so all of them do the same work. The Python
 * contenders mirror these values in `shared.py`; the runner checks every answer
 * (bench/lib/scenarios.mjs) before it measures anything.
 */

export const HELLO = 'Hello, World!';

/** The `/stream` answer: the same 64 KiB chunk 16 times (1 MiB), sent as it is produced. */
export const STREAM_CHUNK = Buffer.alloc(64 * 1024, 'a');
export const STREAM_CHUNKS = 16;

/** Where the runner tells a contender to listen (it picked a free port). */
export const HOST = '127.0.0.1';
export const PORT = Number(process.env['PORT'] ?? '3000');

/**
 * The Portico server's HTTP/1.1 implementation a Portico contender runs on: its first argument,
 * `node` (the default) or `portico` (the `-h1` contenders).
 *
 * @returns {'node' | 'portico'}
 */
export function http1Argument() {
  const http1 = process.argv[2] ?? 'node';
  if (http1 !== 'node' && http1 !== 'portico') throw new Error(`a Portico contender takes 'node' or 'portico', got ${http1}`);
  return http1;
}

/** The contender's own routes: `/`, `/json`, `/users/:id`, `/echo`, `/stream`. */
export const OWN_ROUTES = 5;

/**
 * Routes registered before the contender's own, so that the app has `BENCH_ROUTES`
 * routes in all and `/users/:id` sits behind every one of them (the worst case for a
 * router that tries routes in order). Empty when `BENCH_ROUTES` is unset.
 *
 * @example
 * for (const path of decoyRoutes()) app.get(path, decoy);
 */
export function decoyRoutes() {
  const total = Number(process.env['BENCH_ROUTES'] ?? '0');
  return Array.from({ length: Math.max(0, total - OWN_ROUTES) }, (_, i) => `/route-${i}/:id`);
}

/** The `/stream` chunks, produced one at a time. */
export function* streamChunks() {
  for (let i = 0; i < STREAM_CHUNKS; i++) yield STREAM_CHUNK;
}

/** Ends the process cleanly when the runner says so. */
export function exitOnSignal() {
  for (const signal of /** @type {const} */ (['SIGTERM', 'SIGINT'])) process.once(signal, () => process.exit(0));
}
