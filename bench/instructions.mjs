// @ts-check
/**
 * Instructions per request, counted by valgrind's callgrind: on a shared VM, where req/s and CPU
 * time per request move by 25-60% from run to run, this count moves by about 1%. Each Node
 * contender runs under callgrind with counting off while wrk warms it up (V8's compilers must
 * settle first), then callgrind counts every instruction of the process, all threads, user space
 * only, while wrk sends requests one at a time on one keep-alive connection; the count divided by
 * wrk's requests is the figure. The kernel's share (the syscalls) is not counted, and is nearly the
 * same for every contender. Rounds last 30 s so that each holds its share of the major garbage
 * collections: node:http's count moved between 54.7k and 61.1k in rounds of 10 s, and between
 * 56.0k and 56.3k in rounds of 30 s.
 *
 *   node bench/instructions.mjs                               # node-http, portico-protocol, portico-framework; GET /
 *   node bench/instructions.mjs --scenario users --rounds 5 node-http portico-framework
 *
 * Needs valgrind and wrk (apt-get install valgrind wrk); about three minutes per contender. Under
 * valgrind a process runs some 50 times slower, so these are counts, never speeds. The dumps stay
 * in the printed directory (`callgrind_annotate <file>`; JIT code shows as addresses).
 */
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASELINE, nodeContender } from './lib/contenders.mjs';
import { planPinning } from './lib/pinning.mjs';
import { loadScenario } from './lib/scenarios.mjs';
import { median } from './lib/sitting.mjs';
import { ServerProcess } from './lib/server-process.mjs';
import { runWrk, wrkInstalled } from './lib/wrk.mjs';

/** @param {string[]} argv */
function parseArgs(argv) {
  const settings = { scenario: 'plaintext', rounds: 3, seconds: 30, warmup: 60 };
  /** @type {string[]} */
  const names = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--scenario') settings.scenario = argv[++i] ?? '';
    else if (arg === '--rounds' || arg === '--seconds' || arg === '--warmup') settings[arg.slice(2)] = Number(argv[++i]);
    else names.push(arg);
  }
  return { ...settings, names: names.length > 0 ? names : [BASELINE, 'portico-protocol', 'portico-framework'] };
}

/** @param {string} command @param {string[]} args */
function run(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error || result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.error?.message ?? result.stderr}`);
}

/** The instruction count of the newest callgrind dump of `prefix` in `directory`. */
function newestDumpTotal(directory, prefix) {
  const dumps = readdirSync(directory)
    .filter((file) => file.startsWith(prefix))
    .map((file) => join(directory, file))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (dumps[0] === undefined) throw new Error(`callgrind wrote no dump in ${directory}`);
  const total = /^(?:totals|summary): (\d+)/m.exec(readFileSync(dumps[0], 'utf8'));
  if (total?.[1] === undefined) throw new Error(`no instruction total in ${dumps[0]}`);
  return Number(total[1]);
}

async function main() {
  const { scenario: scenarioName, rounds, seconds, warmup, names } = parseArgs(process.argv.slice(2));
  const scenario = loadScenario(scenarioName);
  if (!wrkInstalled()) throw new Error('bench/instructions.mjs needs wrk (apt-get install wrk)');
  if (spawnSync('valgrind', ['--version']).error) throw new Error('bench/instructions.mjs needs valgrind (apt-get install valgrind)');
  const pinning = planPinning();
  const directory = mkdtempSync(join(tmpdir(), 'portico-instructions-'));
  console.log(`${scenario.name} (${scenario.method} ${scenario.path}); ${warmup} s warm-up, then ${rounds} rounds of ${seconds} s on one connection; ${pinning.note}; dumps in ${directory}\n`);
  /** @type {Map<string, number>} */
  const medians = new Map();
  for (const name of names) {
    const contender = nodeContender(name);
    const reason = await contender.missing();
    if (reason !== null) {
      console.log(`${name}: skipped: ${reason}`);
      continue;
    }
    const callgrind = ['valgrind', '--tool=callgrind', '--instr-atstart=no', '--smc-check=all-non-file', `--callgrind-out-file=${join(directory, name)}.%p`];
    // V8's memory reducer starts a full collection when a heap's allocation rate per second of wall
    // clock drops, taking the process for idle. Under callgrind every process runs some 50 times
    // slower, so it fired in the middle of the count (a 72.8k round among 60.1k ones); at full speed,
    // under load, it never does. Off here, so the count holds the collections a loaded server makes.
    const [executable = process.execPath, ...script] = contender.command;
    const command = [executable, '--no-memory-reducer', ...script];
    const server = await ServerProcess.start(command, { routes: scenario.routes, prefix: [...pinning.server, ...callgrind] });
    const pid = String(server.pid);
    const job = { url: `${server.url}${scenario.path}`, method: scenario.method, withBody: scenario.bodyBytes > 0, pipelining: 1, requests: null };
    await runWrk({ ...job, connections: 10, durationSec: warmup }, scenario.bodyBytes, pinning.load);
    run('callgrind_control', ['--instr=on', pid]);
    await runWrk({ ...job, connections: 10, durationSec: 10 }, scenario.bodyBytes, pinning.load); // past the re-instrumentation
    /** @type {number[]} */
    const perRequest = [];
    let allInstructions = 0;
    let allRequests = 0;
    for (let round = 0; round < rounds; round++) {
      run('callgrind_control', ['--zero', pid]);
      const { requests } = await runWrk({ ...job, connections: 1, durationSec: seconds }, scenario.bodyBytes, pinning.load);
      run('callgrind_control', ['--dump', pid]);
      const instructions = newestDumpTotal(directory, `${name}.${pid}`);
      perRequest.push(instructions / requests);
      allInstructions += instructions;
      allRequests += requests;
    }
    await server.stop();
    const middle = median(perRequest);
    medians.set(name, middle);
    const baseline = medians.get(BASELINE);
    const ratio = baseline === undefined ? '' : `, ${(baseline / middle).toFixed(3)} × ${BASELINE}'s count`;
    const count = (n) => Math.round(n).toLocaleString('en-US');
    // The overall figure counts a garbage collection that fell in one round as the whole run's cost.
    console.log(`${name}: median ${count(middle)} instructions per request${ratio} (rounds: ${perRequest.map(count).join(', ')}; all rounds together: ${count(allInstructions / allRequests)})`);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
