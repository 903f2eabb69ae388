/**
 * Faults under `--workers 2`, through the CLI as a user runs it, with bounded load (2,000 requests
 * over 20 keep-alive connections, loopback only): a worker SIGKILLed mid-load is replaced (a new
 * pid serves, the port never stops answering) and only the requests in flight at the kill fail;
 * SIGTERM mid-load lets every request the app had accepted finish with a 200.
 */
import { Agent, request } from 'node:http';
import { expect, it } from '@jest/globals';
import { useProjects, usePortico } from '../support/cli';

const portico = usePortico();
const project = useProjects();

const TOTAL = 2000;
const CONNECTIONS = 20;

/** Answers `<pid> <x-id>` after a short wait (so requests are in flight), and reports what it accepted when asked to. */
const APP = `
exports.app = async (scope, receive, send) => {
  if (scope.type !== 'http') return;
  const id = (scope.headers.find(([name]) => name === 'x-id') || [])[1] || '-';
  if (process.env.REPORT_ACCEPTED) process.stdout.write('accepted ' + id + '\\n');
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.DELAY_MS || 2)));
  const body = Buffer.from(process.pid + ' ' + id);
  await send({ type: 'http.response.start', status: 200, headers: [['content-length', String(body.length)], ['content-type', 'text/plain']] });
  await send({ type: 'http.response.body', body });
};
`;

interface Outcome {
  id: number;
  status: number; // -1: no complete response
  pid: number | null;
  error?: string;
}

function get(port: number, agent: Agent | undefined, id: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent, headers: { 'x-id': String(id), ...(agent ? {} : { connection: 'close' }) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error) => resolve({ id, status: -1, pid: null, error: error.message }));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        const complete = res.complete && body.endsWith(` ${id}`);
        resolve(complete ? { id, status: res.statusCode ?? -1, pid: Number(body.split(' ')[0]) } : { id, status: -1, pid: null, error: `incomplete: ${body}` });
      });
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve({ id, status: -1, pid: null, error: error.message }));
    req.end();
  });
}

/**
 * TOTAL requests over CONNECTIONS keep-alive connections; `onProgress(done, inFlight)` after each.
 * A loop stops at its first failure when `stopOnFailure` says so.
 */
async function load(port: number, onProgress: (done: number, inFlight: number) => void, stopOnFailure: () => boolean): Promise<Outcome[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const outcomes: Outcome[] = [];
  let next = 0;
  let inFlight = 0;
  const loop = async (): Promise<void> => {
    while (next < TOTAL) {
      const id = next++;
      inFlight++;
      const outcome = await get(port, agent, id);
      inFlight--;
      outcomes.push(outcome);
      onProgress(outcomes.length, inFlight);
      if (outcome.status !== 200 && stopOnFailure()) return;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, loop));
  agent.destroy();
  return outcomes;
}

it('replaces a worker SIGKILLed under load: only its in-flight requests fail, a new pid serves, the port keeps answering', async () => {
  const dir = project({ 'app.js': APP });
  const cli = portico(['serve', `${dir}/app.js`, '--workers', '2', '--port', '0', '--no-access-log']);
  const port = Number(new URL(await cli.origin()).port);
  const [, first, second] = await cli.waitFor(/Worker \[(\d+)\] is serving\.[^]*Worker \[(\d+)\] is serving\./);
  const initial = new Set([Number(first), Number(second)]);

  let victim: number | null = null;
  let inFlightAtKill = 0;
  const outcomes = await load(
    port,
    (done, inFlight) => {
      if (victim !== null || done < TOTAL / 4) return;
      victim = Number(first);
      inFlightAtKill = inFlight;
      process.kill(victim, 'SIGKILL');
    },
    () => false,
  );

  const failures = outcomes.filter((outcome) => outcome.status !== 200);
  expect(outcomes).toHaveLength(TOTAL);
  expect(failures.length).toBeLessThanOrEqual(inFlightAtKill);
  expect(outcomes.every((outcome) => outcome.status === 200 || outcome.status === -1)).toBe(true); // never a 5xx

  const [, replacement] = await cli.waitFor(new RegExp(`Worker \\[${victim}\\] was killed by SIGKILL; starting a new one\\.[^]*Worker \\[(\\d+)\\] is serving\\.`));
  expect(initial.has(Number(replacement))).toBe(false);
  // Fresh connections are handed round-robin to the workers: the replacement answers too.
  const served = new Set<number>();
  for (let i = 0; i < 50 && !served.has(Number(replacement)); i++) {
    const outcome = await get(port, undefined, TOTAL + i);
    expect(outcome.status).toBe(200);
    served.add(outcome.pid as number);
  }
  expect(served.has(Number(replacement))).toBe(true);
  expect(served.has(victim as unknown as number)).toBe(false);
}, 60_000);

it('lets every request the app accepted before SIGTERM finish with a 200, then exits 0', async () => {
  const dir = project({ 'app.js': APP });
  const cli = portico(['serve', `${dir}/app.js`, '--workers', '2', '--port', '0', '--no-access-log'], {
    env: { REPORT_ACCEPTED: '1', DELAY_MS: '20' },
  });
  const port = Number(new URL(await cli.origin()).port);
  await cli.waitFor(/Worker \[\d+\] is serving\.[^]*Worker \[\d+\] is serving\./);

  let signalled = false;
  const outcomes = await load(
    port,
    (done) => {
      if (signalled || done < 200) return;
      signalled = true;
      cli.child.kill('SIGTERM');
    },
    () => signalled, // after the signal a loop stops at its first refused request
  );
  const exit = await cli.exited;
  expect(exit.code).toBe(0);

  const accepted = new Set([...cli.output().matchAll(/^accepted (\d+)$/gm)].map((match) => Number(match[1])));
  const byId = new Map(outcomes.map((outcome) => [outcome.id, outcome]));
  const acceptedButFailed = [...accepted].filter((id) => byId.get(id)?.status !== 200).map((id) => byId.get(id));
  expect(acceptedButFailed).toEqual([]);
  expect(outcomes.filter((outcome) => outcome.status >= 500)).toEqual([]);
  expect(accepted.size).toBeGreaterThanOrEqual(200);
}, 60_000);
