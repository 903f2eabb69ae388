// @ts-check
/** wrk as the load generator (C, one thread on the load core), where it is installed. */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./wrk-report.lua', import.meta.url));

/** Whether `wrk` can be run here. */
export function wrkInstalled() {
  const probe = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
  return !probe.error;
}

/**
 * Runs wrk once and reads the JSON line that wrk-report.lua prints. wrk counts an answer
 * of 400 or more as a status error. Its latency figures correct for coordinated omission
 * assuming one request in flight per connection; under pipelining that correction adds
 * billions of made-up samples (wg/wrk#236), so no percentiles are reported there.
 *
 * @example
 * const result = await runWrk(job, bodyBytes, pinning.load);
 *
 * @param {import('./load-worker.mjs').LoadJob} job
 * @param {number} bodyBytes
 * @param {readonly string[]} prefix
 * @returns {Promise<import('./load-worker.mjs').LoadResult>}
 */
export function runWrk(job, bodyBytes, prefix) {
  const args = [
    ...prefix,
    'wrk',
    '-t1',
    `-c${job.connections}`,
    `-d${Math.max(1, Math.round(job.durationSec))}s`,
    '--timeout',
    '10s',
    '-s',
    SCRIPT,
    job.url,
    '--',
    String(job.pipelining),
    job.method,
    String(job.withBody ? bodyBytes : 0),
  ];
  const [file, ...rest] = args;
  return new Promise((resolve, reject) => {
    if (file === undefined) return reject(new Error('empty command'));
    const child = spawn(file, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (out += chunk));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = out.split('\n').find((text) => text.startsWith('{"requests"'));
      if (code !== 0 || line === undefined) return reject(new Error(`wrk failed (${code}): ${out.trim()}`));
      const report = JSON.parse(line);
      resolve({
        requestsPerSec: report.requests / (report.durationUs / 1e6),
        latencyP50Ms: job.pipelining > 1 ? null : report.p50Us / 1000,
        latencyP99Ms: job.pipelining > 1 ? null : report.p99Us / 1000,
        requests: report.requests,
        errors: report.connectErrors + report.readErrors + report.writeErrors + report.timeouts,
        non2xx: report.statusErrors,
      });
    });
  });
}
