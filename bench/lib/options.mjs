// @ts-check
/** The command line of `npm run bench -- [options]`. */
import { parseArgs } from 'node:util';

export const USAGE = `Usage: npm run bench -- [options]

  --quick              a few seconds per case (1 s warm-up, one 2 s run)
  --smoke              prove the harness works, fast: every contender and scenario, one run of
                       200 requests each with autocannon, 100 idle connections; writes
                       results/smoke.json; exits non-zero on any failed case, compares no figures
  --only <names>       contenders to run, comma-separated (repeatable); see --list
  --scenario <names>   scenarios to run, comma-separated (repeatable); see --list
  --runs <n>           measured runs per case; the median is reported (default 3)
  --duration <s>       seconds per measured run (default 5)
  --requests <n>       a number of requests per run instead of a duration (autocannon only)
  --warmup <s>         seconds of unmeasured load before the runs (default 3)
  --connections <n>    concurrent connections (default 100)
  --pipelining <n>     requests in flight per connection (default 1; wrk reports no latency
                       percentiles above 1)
  --idle <n>           connections held open in the idle scenario (default 1000)
  --load <tool>        auto | wrk | autocannon (default auto: wrk where installed, except
                       for --smoke)
  --out <file>         where to write the JSON (default results/latest.json for a full run,
                       results/partial.json for a quick or filtered one)
  --list               list the contenders and scenarios, then exit
  --help               this text`;

/**
 * @typedef {{
 *   quick: boolean, smoke: boolean, list: boolean, help: boolean,
 *   only: string[], scenarios: string[],
 *   runs: number, durationSec: number, requests: number | null, warmupSec: number,
 *   connections: number, pipelining: number, idleConnections: number,
 *   load: 'auto' | 'wrk' | 'autocannon', out: string | null,
 * }} Options
 */

/** Thrown for a command line that cannot be run; the message says what to change. */
export class UsageError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'UsageError';
  }
}

/** @param {string | undefined} text @param {string} flag @param {number} fallback @param {number} min */
function number(text, flag, fallback, min) {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min) throw new UsageError(`${flag} needs a number ≥ ${min}, got "${text}"`);
  return value;
}

/** @param {string[] | undefined} lists */
function names(lists) {
  return (lists ?? []).flatMap((list) => list.split(',')).map((name) => name.trim()).filter(Boolean);
}

/** @param {string[]} argv */
function readArgs(argv) {
  try {
    return parseArgs({
      args: argv,
      options: {
        quick: { type: 'boolean' },
        smoke: { type: 'boolean' },
        only: { type: 'string', multiple: true },
        scenario: { type: 'string', multiple: true },
        runs: { type: 'string' },
        duration: { type: 'string' },
        requests: { type: 'string' },
        warmup: { type: 'string' },
        connections: { type: 'string' },
        pipelining: { type: 'string' },
        idle: { type: 'string' },
        load: { type: 'string' },
        out: { type: 'string' },
        list: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * @example
 * parseOptions(['--quick', '--only', 'node-http,fastify']);
 *
 * @param {string[]} argv
 * @returns {Options}
 */
export function parseOptions(argv) {
  const values = readArgs(argv);
  const smoke = values.smoke === true;
  const quick = smoke || values.quick === true;
  const load = values.load ?? 'auto';
  if (load !== 'auto' && load !== 'wrk' && load !== 'autocannon') {
    throw new UsageError(`--load is auto, wrk or autocannon, got "${load}"`);
  }
  return {
    quick,
    smoke,
    list: values.list === true,
    help: values.help === true,
    only: names(values.only),
    scenarios: names(values.scenario),
    runs: number(values.runs, '--runs', quick ? 1 : 3, 1),
    durationSec: number(values.duration, '--duration', quick ? 2 : 5, 1),
    requests: values.requests === undefined && smoke ? 200 : number(values.requests, '--requests', 0, 1) || null,
    warmupSec: number(values.warmup, '--warmup', smoke ? 0 : quick ? 1 : 3, 0),
    connections: number(values.connections, '--connections', 100, 1),
    pipelining: number(values.pipelining, '--pipelining', 1, 1),
    idleConnections: number(values.idle, '--idle', smoke ? 100 : 1000, 1),
    load,
    out: values.out ?? null,
  };
}
