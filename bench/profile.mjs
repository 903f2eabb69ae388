// @ts-check
/**
 * Where a Node contender's CPU time goes: starts it under `node --cpu-prof` (pinned like a sitting),
 * loads one scenario with wrk, stops it, and prints its self time by part of the stack: socket write
 * syscalls, Node's own HTTP machinery, V8, the garbage collector, the Portico server, the proxy-header
 * check, the framework, the API layer and zod, the app. Each as a share of the busy time and as µs per
 * request (from the process's CPU time, which the profiler itself inflates a little). Startup (module
 * loading) is left out. `--top <n>` also lists the n functions with the most self time.
 *
 *   node bench/profile.mjs node-http portico-protocol portico-framework
 *   node bench/profile.mjs --scenario json --duration 10 --top 25 portico-framework portico-api-strict
 *
 * The .cpuprofile files stay in the printed directory: open them in Chrome DevTools (Performance).
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeContender } from './lib/contenders.mjs';
import { planPinning } from './lib/pinning.mjs';
import { loadScenario } from './lib/scenarios.mjs';
import { ServerProcess } from './lib/server-process.mjs';
import { runWrk, wrkInstalled } from './lib/wrk.mjs';

/**
 * @typedef {{ id: number, callFrame: { functionName: string, url: string, lineNumber?: number }, children?: number[] }} ProfileNode
 * @typedef {{ nodes: ProfileNode[], samples: number[], timeDeltas: number[] }} CpuProfile
 */

/**
 * Parts of the stack, first match wins, by the frame's script `url` and function `name`.
 * @type {ReadonlyArray<readonly [string, (url: string, name: string) => boolean]>}
 */
const PARTS = [
  ['socket write syscalls', (url, name) => url === '' && /^write(v|Buffer|Utf8String|Latin1String)$/.test(name)],
  ['proxy-header trust check (Portico server)', (url, name) => /proxy-headers|internal\/blocklist|internal\/socketaddress/.test(url) || name === 'SocketAddress' || name === 'JSTransferable'],
  ['Portico API layer', (url) => url.includes('/packages/api/')],
  ['zod', (url) => url.includes('/node_modules/zod/')],
  ['Portico framework', (url) => url.includes('/packages/framework/')],
  ['Portico server + protocol', (url) => url.includes('/packages/server/') || url.includes('/packages/protocol/')],
  ['the app (contender file)', (url) => url.includes('/bench/contenders/')],
  ['garbage collector', (_url, name) => name === '(garbage collector)'],
  ['V8: microtask queue, runtime', (_url, name) => name === '(program)' || name === 'runMicrotasks' || name === '(root)'],
  ['Node: http, net, streams, timers', (url) => url.startsWith('node:') || url === ''],
];

const LOADER = /modules\/(cjs|esm)\/|bootstrap\/realm/;

/** `name (file:line)` of a frame, the file relative to the repository or node_modules. @param {ProfileNode['callFrame']} frame */
function frameLabel(frame) {
  const file = frame.url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*?\/(packages|bench)\//, '$1/');
  return `${frame.functionName || '(anonymous)'}${file === '' ? '' : ` (${file}:${(frame.lineNumber ?? 0) + 1})`}`;
}

/**
 * Busy share, parts, and each function's self time (as a share of the busy time), by `frameLabel`.
 *
 * @param {CpuProfile} profile
 * @returns {{ busyShare: number, parts: Map<string, number>, functions: Map<string, number> }}
 */
export function summarise(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  /** @type {Map<number, number>} */
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  /** @type {Map<number, number>} */
  const self = new Map();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  /** @param {number} id */
  const loading = (id) => {
    for (let at = /** @type {number | undefined} */ (id); at !== undefined; at = parent.get(at)) if (LOADER.test(byId.get(at)?.callFrame.url ?? '')) return true;
    return false;
  };
  /** @type {Map<string, number>} */
  const parts = new Map();
  /** @type {Map<string, number>} */
  const functions = new Map();
  let busy = 0;
  let idle = 0;
  for (const [id, micros] of self) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) continue;
    if (frame.functionName === '(idle)') idle += micros;
    if (frame.functionName === '(idle)' || loading(id)) continue;
    busy += micros;
    const part = PARTS.find(([, test]) => test(frame.url, frame.functionName))?.[0] ?? 'other packages';
    parts.set(part, (parts.get(part) ?? 0) + micros);
    const label = frameLabel(frame);
    functions.set(label, (functions.get(label) ?? 0) + micros);
  }
  for (const [part, micros] of parts) parts.set(part, micros / busy);
  for (const [label, micros] of functions) functions.set(label, micros / busy);
  return { busyShare: busy / (busy + idle), parts, functions };
}

/** @param {string[]} argv */
function parseArgs(argv) {
  let scenario = 'plaintext';
  let duration = 6;
  let top = 0;
  /** @type {string[]} */
  const names = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--scenario') scenario = argv[++i] ?? '';
    else if (arg === '--duration') duration = Number(argv[++i]);
    else if (arg === '--top') top = Number(argv[++i]);
    else names.push(arg);
  }
  return { scenario, duration, top, names: names.length > 0 ? names : ['node-http', 'portico-protocol', 'portico-framework'] };
}

async function main() {
  const { scenario: scenarioName, duration, top, names } = parseArgs(process.argv.slice(2));
  const scenario = loadScenario(scenarioName);
  if (!wrkInstalled()) throw new Error('bench/profile.mjs needs wrk (apt-get install wrk)');
  const pinning = planPinning();
  const directory = mkdtempSync(join(tmpdir(), 'portico-profile-'));
  console.log(`${scenario.name} (${scenario.method} ${scenario.path}), ${duration} s of wrk, 100 connections; ${pinning.note}; profiles in ${directory}\n`);
  for (const name of names) {
    const contender = nodeContender(name);
    const reason = await contender.missing();
    if (reason !== null) {
      console.log(`${name}: skipped: ${reason}\n`);
      continue;
    }
    const out = join(directory, name);
    const [node, ...rest] = contender.command;
    const server = await ServerProcess.start([node ?? process.execPath, '--cpu-prof', `--cpu-prof-dir=${out}`, ...rest], { routes: scenario.routes, prefix: pinning.server });
    const job = { url: `${server.url}${scenario.path}`, method: scenario.method, withBody: scenario.bodyBytes > 0, connections: 100, pipelining: 1, durationSec: duration, requests: null };
    await runWrk({ ...job, durationSec: 2 }, scenario.bodyBytes, pinning.load); // warm-up
    const before = server.cpuSeconds() ?? 0;
    const result = await runWrk(job, scenario.bodyBytes, pinning.load);
    const cpuMicrosPerRequest = (((server.cpuSeconds() ?? before) - before) * 1e6) / result.requests;
    await server.stop();
    const file = readdirSync(out).find((entry) => entry.endsWith('.cpuprofile'));
    if (file === undefined) throw new Error(`${name} wrote no profile in ${out}`);
    const { busyShare, parts, functions } = summarise(JSON.parse(readFileSync(join(out, file), 'utf8')));
    console.log(`### ${name}: ${Math.round(result.requestsPerSec).toLocaleString('en-US')} req/s, ${cpuMicrosPerRequest.toFixed(1)} CPU µs/req (profiled), busy ${Math.round(busyShare * 100)}% of the run\n`);
    console.log('| part | share of CPU | µs/req |\n| --- | ---: | ---: |');
    for (const [part, share] of [...parts].sort((a, b) => b[1] - a[1])) {
      console.log(`| ${part} | ${(share * 100).toFixed(1)}% | ${(share * cpuMicrosPerRequest).toFixed(1)} |`);
    }
    console.log('');
    if (top > 0) {
      console.log('| function (self time) | share of CPU | µs/req |\n| --- | ---: | ---: |');
      for (const [label, share] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) {
        console.log(`| ${label.replaceAll('|', '\\|')} | ${(share * 100).toFixed(1)}% | ${(share * cpuMicrosPerRequest).toFixed(2)} |`);
      }
      console.log('');
    }
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
