// @ts-check
/**
 * `npm run bench`: measures Portico against raw node:http and its peers, prints one table
 * per scenario and writes the results as JSON. See bench/README.md.
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { BASELINE, CONTENDERS } from './lib/contenders.mjs';
import { USAGE, UsageError, parseOptions } from './lib/options.mjs';
import { planPinning } from './lib/pinning.mjs';
import { formatScenario } from './lib/report.mjs';
import { checkTargets, formatTargets } from './lib/targets.mjs';
import {
  addRatios,
  describeCommit,
  describeLoader,
  describeMachine,
  readCases,
  writeResults,
} from './lib/results.mjs';
import { SCENARIOS } from './lib/scenarios.mjs';
import { Sitting } from './lib/sitting.mjs';
import { wrkInstalled } from './lib/wrk.mjs';

const LATEST = fileURLToPath(new URL('./results/latest.json', import.meta.url));

/**
 * @template {{ name: string }} T
 * @param {readonly T[]} all @param {string[]} wanted @param {string} kind
 */
function select(all, wanted, kind) {
  if (wanted.length === 0) return [...all];
  const unknown = wanted.filter((name) => !all.some((item) => item.name === name));
  if (unknown.length > 0) {
    throw new UsageError(`unknown ${kind} ${unknown.join(', ')}; known: ${all.map((item) => item.name).join(', ')}`);
  }
  return all.filter((item) => wanted.includes(item.name));
}

/**
 * The routing-scale scenarios go in one batch (measured in the same rounds, so that their
 * ratio to 10 routes shares the same noise); every other scenario is a batch of its own.
 *
 * @param {import('./lib/scenarios.mjs').Scenario[]} scenarios
 */
function batches(scenarios) {
  const routing = scenarios.filter((scenario) => scenario.kind === 'load' && scenario.routes > 0);
  /** @type {import('./lib/scenarios.mjs').Scenario[][]} */
  const list = [];
  for (const scenario of scenarios) {
    if (!routing.includes(scenario)) list.push([scenario]);
    else if (scenario === routing[0]) list.push(routing);
  }
  return list;
}

/** The 1-, 5- and 15-minute load averages: other work on the machine shows here. */
function loadAverage() {
  return loadavg().map((value) => Math.round(value * 100) / 100);
}

/** @param {import('./lib/options.mjs').Options} options */
function outputFile(options) {
  if (options.out !== null) return options.out;
  const name = options.smoke ? 'smoke' : options.quick || options.only.length + options.scenarios.length > 0 ? 'partial' : 'latest';
  return fileURLToPath(new URL(`./results/${name}.json`, import.meta.url));
}

/** @param {string} line */
function progress(line) {
  process.stderr.write(`${line}\n`);
}

/** @param {string[]} argv @returns {Promise<number>} the exit code */
async function main(argv) {
  const options = parseOptions(argv);
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const contenders = select(CONTENDERS, options.only, 'contender');
  const scenarios = select(SCENARIOS, options.scenarios, 'scenario');
  if (options.list) {
    for (const contender of CONTENDERS) console.log(`contender ${contender.name.padEnd(18)} ${contender.title}`);
    for (const scenario of SCENARIOS) console.log(`scenario  ${scenario.name.padEnd(18)} ${scenario.title}`);
    return 0;
  }
  const hasWrk = wrkInstalled();
  if (options.load === 'wrk' && !hasWrk) throw new UsageError('wrk is not installed (apt-get install wrk); try --load autocannon');
  // wrk only runs for a duration, so a run of so many requests (--smoke) needs autocannon.
  if (options.load === 'wrk' && options.requests !== null) throw new UsageError('wrk runs for a duration: drop --requests, or use --load autocannon');
  const useWrk = options.load === 'wrk' || (options.load === 'auto' && hasWrk && options.requests === null);
  const pinning = planPinning();
  /** @type {Map<string, string | null>} why each contender cannot run here (null: it can) */
  const missing = new Map();
  for (const contender of contenders) missing.set(contender.name, await contender.missing());
  const previous = options.smoke ? [] : readCases(LATEST); // a smoke run compares nothing

  const results = {
    date: new Date().toISOString(),
    command: ['npm run bench', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' '),
    commit: describeCommit(),
    machine: describeMachine(),
    loadAverageBefore: loadAverage(),
    /** @type {number[] | null} */
    loadAverageAfter: null,
    settings: {
      loader: describeLoader(useWrk),
      pinning: pinning.note,
      connections: options.connections,
      pipelining: options.pipelining,
      warmupSec: options.warmupSec,
      durationSec: options.requests === null ? options.durationSec : null,
      requestsPerRun: options.requests,
      runs: options.runs,
      idleConnections: options.idleConnections,
    },
    /** @type {import('./lib/sitting.mjs').Case[]} */
    cases: [],
  };
  const { machine, settings } = results;
  console.log(`Portico bench, ${results.date}, commit ${results.commit ?? 'unknown'}`);
  console.log(`${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Linux ${machine.kernel}, node ${machine.node}, ${machine.python ?? 'no system python'}`);
  const run = options.requests === null ? `${options.durationSec} s` : `${options.requests}-request`;
  console.log(`${settings.loader}; ${pinning.note}; warm-up ${settings.warmupSec} s, ${settings.runs} × ${run} runs (median); ratios to ${BASELINE} in this run`);
  console.log(`load average before: ${results.loadAverageBefore.join(', ')} (1, 5, 15 min)`);
  console.log(`command: ${results.command}\n`);
  if (!useWrk && !options.smoke) {
    progress('note: autocannon saturates its core before most of these servers do, which pulls every ratio');
    progress('      towards 1; install wrk (apt-get install wrk) for figures worth comparing.');
  }

  const sitting = new Sitting(options, pinning, useWrk, progress);
  const interrupt = () => {
    progress('interrupted: stopping the servers');
    void sitting.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    for (const batch of batches(scenarios)) {
      progress(batch.map((scenario) => `${scenario.name}: ${scenario.title}`).join('\n'));
      const cases = await sitting.run(batch, contenders, missing);
      results.cases.push(...cases.flat());
      addRatios(results.cases, previous);
      for (const [index, scenario] of batch.entries()) console.log(`${formatScenario(scenario, cases[index] ?? [], options)}\n`);
    }
  } finally {
    await sitting.close();
  }
  results.loadAverageAfter = loadAverage();
  if (!options.smoke) {
    const targets = checkTargets(results.cases);
    if (targets.length > 0) {
      Object.assign(results, { targets });
      console.log(`### Targets (the issue's, on this sitting)\n\n${formatTargets(targets)}\n`);
    }
  }

  const file = outputFile(options);
  writeResults(file, results);
  const failed = results.cases.filter((entry) => entry.status === 'failed');
  console.log(`load average after: ${results.loadAverageAfter.join(', ')} (1, 5, 15 min)`);
  console.log(`Results written to ${file}`);
  if (failed.length > 0) console.log(`${failed.length} case(s) failed: ${failed.map((entry) => `${entry.scenario}/${entry.contender}`).join(', ')}`);
  return failed.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error instanceof UsageError ? `${error.message}\n\n${USAGE}` : error);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
