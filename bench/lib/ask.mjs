// @ts-check
/** One request of a scenario, answered in full, to check a contender before measuring it. */
import { request } from 'node:http';
import { ECHO_BODY } from './scenarios.mjs';

const TIMEOUT_MS = 5_000;

/**
 * Sends the scenario's request once and collects the whole answer.
 *
 * @example
 * const wrong = scenario.check(await ask(server.url, scenario));
 *
 * @param {string} origin
 * @param {import('./scenarios.mjs').LoadScenario} scenario
 * @returns {Promise<import('./scenarios.mjs').Answer>}
 */
export function ask(origin, scenario) {
  return new Promise((resolve, reject) => {
    const body = scenario.bodyBytes > 0 ? ECHO_BODY : null;
    const headers = body ? { 'content-type': 'application/octet-stream', 'content-length': body.length } : {};
    const req = request(new URL(scenario.path, origin), { method: scenario.method, headers, agent: false });
    req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    req.once('error', reject);
    req.once('response', (res) => {
      /** @type {Buffer[]} */
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.once('error', reject);
      res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.end(body);
  });
}
