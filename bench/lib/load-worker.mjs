// @ts-check
/**
 * The load generator's process (started by load-process.mjs, pinned to its own core):
 * runs autocannon, and holds the idle keep-alive connections of the `idle` scenario.
 * It answers each message from the runner with `{ id, result }` or `{ id, error }`.
 */
import autocannon from 'autocannon';
import { connect } from 'node:net';
import { ECHO_BODY } from './scenarios.mjs';

/**
 * @typedef {{
 *   url: string, method: 'GET' | 'POST', withBody: boolean,
 *   connections: number, pipelining: number, durationSec: number, requests: number | null,
 * }} LoadJob
 * `requests`, when set, ends the run after that many requests instead of after `durationSec`.
 * @typedef {{
 *   requestsPerSec: number, latencyP50Ms: number | null, latencyP99Ms: number | null,
 *   requests: number, errors: number, non2xx: number,
 * }} LoadResult
 */

/** @param {LoadJob} job @returns {Promise<LoadResult>} */
async function load(job) {
  const result = await autocannon({
    url: job.url,
    method: job.method,
    connections: job.connections,
    pipelining: job.pipelining,
    ...(job.requests === null ? { duration: job.durationSec } : { amount: job.requests }),
    // autocannon notices the end of a run only on a sample tick (default every second).
    sampleInt: 100,
    ...(job.withBody ? { body: ECHO_BODY, headers: { 'content-type': 'application/octet-stream' } } : {}),
  });
  return {
    requestsPerSec: result.requests.total / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** @type {Set<import('node:net').Socket>} */
const idle = new Set();
const IDLE_REQUEST = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
const OPEN_AT_ONCE = 100;
const ANSWER_TIMEOUT_MS = 10_000;

/** @param {string} seen what arrived so far: one answer with a length or chunked */
function answerComplete(seen) {
  const headEnd = seen.indexOf('\r\n\r\n');
  if (headEnd < 0) return false;
  const length = /^content-length:\s*(\d+)/im.exec(seen.slice(0, headEnd))?.[1];
  return length === undefined ? seen.endsWith('0\r\n\r\n') : seen.length >= headEnd + 4 + Number(length);
}

/**
 * Opens a keep-alive connection, sends `GET /`, and resolves once the answer's body has
 * arrived; the connection then stays open and silent until `closeIdle`.
 *
 * @param {number} port
 */
function openOne(port) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let seen = '';
    const fail = (/** @type {Error} */ error) => {
      socket.destroy();
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error(`GET / not answered within ${ANSWER_TIMEOUT_MS} ms`)), ANSWER_TIMEOUT_MS);
    socket.setEncoding('latin1');
    socket.once('error', fail);
    socket.once('close', () => fail(new Error('the server closed the connection before answering GET /')));
    socket.on('data', function answered(/** @type {string} */ chunk) {
      seen += chunk;
      if (!answerComplete(seen)) return;
      clearTimeout(timer);
      socket.off('data', answered);
      socket.removeAllListeners('error').removeAllListeners('close');
      socket.on('error', () => socket.destroy()); // the server dropped it: counted by idleOpen
      idle.add(socket);
      socket.once('close', () => idle.delete(socket));
      resolve(undefined);
    });
    socket.write(IDLE_REQUEST);
  });
}

/** @param {number} port @param {number} count */
async function openIdle(port, count) {
  for (let opened = 0; opened < count; opened += OPEN_AT_ONCE) {
    const batch = Math.min(OPEN_AT_ONCE, count - opened);
    await Promise.all(Array.from({ length: batch }, () => openOne(port)));
  }
  return { open: idle.size };
}

async function closeIdle() {
  for (const socket of idle) socket.destroy();
  idle.clear();
  return { open: 0 };
}

/** @type {Record<string, (message: any) => Promise<unknown>>} */
const handlers = {
  load: (message) => load(message.job),
  openIdle: (message) => openIdle(message.port, message.count),
  idleOpen: async () => ({ open: idle.size }),
  closeIdle,
};

process.on('message', (/** @type {{ id: number, type: string }} */ message) => {
  const handler = handlers[message.type];
  const work = handler ? handler(message) : Promise.reject(new Error(`unknown message ${message.type}`));
  work.then(
    (result) => process.send?.({ id: message.id, result }),
    (error) => process.send?.({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
