// @ts-check
/**
 * One sitting: every selected contender measured on every selected scenario, one after
 * the other on the same machine. Each batch runs its rounds across the contenders (run 1 of
 * each, then run 2 of each, ...) so that a noisy neighbour spreads over all of them instead
 * of landing on one.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ask } from './ask.mjs';
import { LoadProcess } from './load-process.mjs';
import { SCENARIOS } from './scenarios.mjs';
import { ServerProcess } from './server-process.mjs';
import { runWrk } from './wrk.mjs';

/**
 * @typedef {import('./contenders.mjs').Contender} Contender
 * @typedef {import('./scenarios.mjs').LoadScenario} LoadScenario
 * @typedef {import('./scenarios.mjs').IdleScenario} IdleScenario
 * @typedef {import('./load-worker.mjs').LoadResult & { cpuMicrosPerRequest: number | null }} LoadRun
 *   a load generator's result, and the server's CPU time per answered request
 * @typedef {{
 *   rssBeforeBytes: number, rssAfterBytes: number, opened: number, stillOpen: number,
 *   rssPerConnectionBytes: number,
 * }} IdleRun
 * @typedef {{ requestsPerSec: number | null, cpuPerRequest: number | null, peakRss: number | null, rssPerConnection: number | null,
 *   routes10: number | null, lastRun: number | null }} Ratios
 * @typedef {{
 *   scenario: string, contender: string, status: 'ok' | 'failed' | 'skipped' | 'n/a', reason: string | null,
 *   runs: (LoadRun | IdleRun)[],
 *   requestsPerSec: number | null, requestsPerSecSpread: number | null,
 *   cpuMicrosPerRequest: number | null, latencyP50Ms: number | null, latencyP99Ms: number | null,
 *   errors: number, non2xx: number, rssPerConnectionBytes: number | null, peakRssBytes: number | null,
 *   ratios: Ratios,
 * }} Case
 */

/** Time for the server to settle after the idle connections are opened, before RSS is read. */
const IDLE_SETTLE_MS = 500;

const PLAINTEXT = /** @type {LoadScenario} */ (SCENARIOS.find((scenario) => scenario.name === 'plaintext'));

/** @param {number[]} values */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? NaN) + upper) / 2;
}

/** The median, or null when a run could not measure the figure. @param {(number | null)[]} values */
function medianOrNull(values) {
  return values.some((value) => value === null) ? null : median(/** @type {number[]} */ (values));
}

/** @param {string} scenario @param {string} contender @returns {Case} */
function emptyCase(scenario, contender) {
  return {
    scenario,
    contender,
    status: 'ok',
    reason: null,
    runs: [],
    requestsPerSec: null,
    requestsPerSecSpread: null,
    cpuMicrosPerRequest: null,
    latencyP50Ms: null,
    latencyP99Ms: null,
    errors: 0,
    non2xx: 0,
    rssPerConnectionBytes: null,
    peakRssBytes: null,
    ratios: { requestsPerSec: null, cpuPerRequest: null, peakRss: null, rssPerConnection: null, routes10: null, lastRun: null },
  };
}

/** @param {Case} entry @param {'failed' | 'skipped' | 'n/a'} status @param {string} reason */
function mark(entry, status, reason) {
  entry.status = status;
  entry.reason = reason;
  return entry;
}

/** @param {unknown} error */
function message(error) {
  return error instanceof Error ? error.message : String(error);
}

export class Sitting {
  #options;
  #pinning;
  #useWrk;
  #loader;
  /** @type {Map<string, Promise<ServerProcess>>} the routes-0 server of each contender, shared by scenarios */
  #baseServers = new Map();
  /** @type {Set<ServerProcess>} */
  #running = new Set();
  /** @type {(line: string) => void} */
  #log;

  /**
   * @example
   * const sitting = new Sitting(options, planPinning(), true, console.error);
   * const cases = await sitting.run(scenario, contenders, missing);
   * await sitting.close();
   *
   * @param {import('./options.mjs').Options} options
   * @param {import('./pinning.mjs').Pinning} pinning
   * @param {boolean} useWrk
   * @param {(line: string) => void} log progress lines
   */
  constructor(options, pinning, useWrk, log) {
    this.#options = options;
    this.#pinning = pinning;
    this.#useWrk = useWrk;
    this.#log = log;
    this.#loader = new LoadProcess(pinning.load);
  }

  /**
   * Measures a batch of scenarios on each contender; `missing` holds why a contender cannot
   * run. A batch is one scenario, or several whose servers are their own (the routing scale),
   * measured in the same rounds so that their ratios to each other share the same noise.
   *
   * @param {readonly import('./scenarios.mjs').Scenario[]} batch
   * @param {readonly Contender[]} contenders
   * @param {ReadonlyMap<string, string | null>} missing
   * @returns {Promise<Case[][]>} for each scenario of the batch, a case per contender
   */
  async run(batch, contenders, missing) {
    const cases = batch.map((scenario) => contenders.map((contender) => emptyCase(scenario.name, contender.name)));
    /** @type {{ scenario: LoadScenario, contender: Contender, entry: Case }[]} */
    const slots = [];
    for (const [s, scenario] of batch.entries()) {
      for (const [c, contender] of contenders.entries()) {
        const entry = /** @type {Case} */ (cases[s]?.[c]);
        const reason = missing.get(contender.name);
        if (reason) mark(entry, 'skipped', reason);
        else if (scenario.kind === 'idle') await this.#idle(scenario, contender, entry);
        else if (scenario.routes > 0 && !contender.router) mark(entry, 'n/a', 'no router');
        else slots.push({ scenario, contender, entry });
      }
    }
    if (slots.length > 0) await this.#measureSlots(slots);
    return cases;
  }

  /** @param {Contender} contender @param {number} routes */
  async #start(contender, routes) {
    const server = await ServerProcess.start(contender.command, { routes, prefix: this.#pinning.server });
    this.#running.add(server);
    return server;
  }

  /** @param {ServerProcess} server */
  async #stop(server) {
    this.#running.delete(server);
    await server.stop();
  }

  /** @param {Contender} contender */
  #baseServer(contender) {
    let server = this.#baseServers.get(contender.name);
    if (server === undefined) {
      server = this.#start(contender, 0);
      this.#baseServers.set(contender.name, server);
    }
    return server;
  }

  /**
   * @param {LoadScenario} scenario @param {ServerProcess} server
   * @param {number} durationSec @param {number | null} requests
   */
  #measure(scenario, server, durationSec, requests) {
    const job = {
      url: new URL(scenario.path, server.url).href,
      method: scenario.method,
      withBody: scenario.bodyBytes > 0,
      connections: this.#options.connections,
      pipelining: this.#options.pipelining,
      durationSec,
      requests,
    };
    return this.#useWrk ? runWrk(job, scenario.bodyBytes, this.#pinning.load) : this.#loader.autocannon(job);
  }

  /**
   * Starts (or reuses) each slot's server, checks its answer, warms it up, then measures the
   * slots in rounds.
   *
   * @param {{ scenario: LoadScenario, contender: Contender, entry: Case }[]} slots
   */
  async #measureSlots(slots) {
    const { runs, warmupSec, durationSec, requests } = this.#options;
    const started = await Promise.allSettled(
      slots.map(({ scenario, contender }) =>
        scenario.routes > 0 ? this.#start(contender, scenario.routes) : this.#baseServer(contender),
      ),
    );
    /** @type {{ scenario: LoadScenario, entry: Case, server: ServerProcess }[]} */
    const measured = [];
    for (const [index, { scenario, entry }] of slots.entries()) {
      const start = /** @type {PromiseSettledResult<ServerProcess>} */ (started[index]);
      if (start.status === 'rejected') {
        mark(entry, 'failed', message(start.reason));
        continue;
      }
      const server = start.value;
      measured.push({ scenario, entry, server });
      try {
        const wrong = scenario.check(await ask(server.url, scenario));
        if (wrong) mark(entry, 'failed', `wrong answer: ${wrong}`);
      } catch (error) {
        mark(entry, 'failed', message(error));
      }
    }
    const live = () => measured.filter(({ entry }) => entry.status === 'ok');
    for (const { server } of live()) server.resetPeakRss();
    if (warmupSec > 0) {
      for (const { scenario, entry, server } of live()) {
        this.#log(`  ${scenario.name} · ${entry.contender}: warm-up ${warmupSec} s`);
        await this.#measure(scenario, server, warmupSec, null).catch((error) => mark(entry, 'failed', message(error)));
      }
    }
    for (let round = 1; round <= runs; round++) {
      for (const { scenario, entry, server } of live()) {
        this.#log(`  ${scenario.name} · ${entry.contender}: run ${round}/${runs}`);
        try {
          const cpuBefore = server.cpuSeconds();
          const result = await this.#measure(scenario, server, durationSec, requests);
          const cpuAfter = server.cpuSeconds();
          const cpu = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
          const cpuMicrosPerRequest = cpu === null || result.requests === 0 ? null : (cpu * 1e6) / result.requests;
          entry.runs.push({ ...result, cpuMicrosPerRequest });
        } catch (error) {
          mark(entry, 'failed', message(error));
        }
      }
    }
    for (const { scenario, entry, server } of measured) {
      if (entry.status === 'ok') summariseLoad(entry, server);
      if (scenario.routes > 0) await this.#stop(server);
    }
  }

  /**
   * Each run starts a fresh server, so that memory freed by an earlier run cannot hide the
   * cost of the next one; the figure is (RSS with the connections open − RSS before) / open.
   *
   * @param {IdleScenario} scenario @param {Contender} contender @param {Case} entry
   */
  async #idle(scenario, contender, entry) {
    const count = this.#options.idleConnections;
    for (let round = 1; round <= this.#options.runs && entry.status === 'ok'; round++) {
      this.#log(`  ${scenario.name} · ${entry.contender}: run ${round}/${this.#options.runs}, ${count} connections`);
      try {
        entry.runs.push(await this.#idleRun(contender, entry, count));
      } catch (error) {
        mark(entry, 'failed', message(error));
        await this.#loader.closeIdle().catch(() => undefined);
      }
    }
    if (entry.status !== 'ok') return;
    const idleRuns = /** @type {IdleRun[]} */ (entry.runs);
    entry.rssPerConnectionBytes = median(idleRuns.map((run) => run.rssPerConnectionBytes));
  }

  /** @param {Contender} contender @param {Case} entry @param {number} count @returns {Promise<IdleRun>} */
  async #idleRun(contender, entry, count) {
    const server = await this.#start(contender, 0);
    try {
      const wrong = PLAINTEXT.check(await ask(server.url, PLAINTEXT)); // also loads the code paths
      if (wrong) throw new Error(`wrong answer to GET /: ${wrong}`);
      const rssBeforeBytes = server.rss();
      const { open: opened } = await this.#loader.openIdle(server.port, count);
      await sleep(IDLE_SETTLE_MS);
      const rssAfterBytes = server.rss();
      const { open: stillOpen } = await this.#loader.idleOpen();
      entry.peakRssBytes = Math.max(entry.peakRssBytes ?? 0, server.peakRss() ?? 0);
      await this.#loader.closeIdle();
      if (rssBeforeBytes === null || rssAfterBytes === null) throw new Error('RSS cannot be read (no /proc)');
      if (stillOpen === 0) throw new Error(`the server closed all ${opened} idle connections`);
      const rssPerConnectionBytes = (rssAfterBytes - rssBeforeBytes) / stillOpen;
      return { rssBeforeBytes, rssAfterBytes, opened, stillOpen, rssPerConnectionBytes };
    } finally {
      await this.#stop(server);
    }
  }

  /** Stops every server still running and the load generator. */
  async close() {
    await Promise.all([...this.#running].map((server) => server.stop()));
    this.#running.clear();
    this.#loader.close();
  }
}

/**
 * Medians over the runs; a run with wrong statuses or no answers at all fails the case.
 *
 * @param {Case} entry @param {ServerProcess} server
 */
function summariseLoad(entry, server) {
  const runs = /** @type {LoadRun[]} */ (entry.runs);
  const rates = runs.map((run) => run.requestsPerSec);
  entry.requestsPerSec = median(rates);
  // Half the range of the runs, relative to the median: how far apart the runs were.
  const range = Math.max(...rates) - Math.min(...rates);
  entry.requestsPerSecSpread = rates.length < 2 ? null : range / 2 / entry.requestsPerSec;
  entry.cpuMicrosPerRequest = medianOrNull(runs.map((run) => run.cpuMicrosPerRequest));
  entry.latencyP50Ms = medianOrNull(runs.map((run) => run.latencyP50Ms));
  entry.latencyP99Ms = medianOrNull(runs.map((run) => run.latencyP99Ms));
  entry.errors = runs.reduce((sum, run) => sum + run.errors, 0);
  entry.non2xx = runs.reduce((sum, run) => sum + run.non2xx, 0);
  entry.peakRssBytes = server.peakRss();
  if (!server.alive) mark(entry, 'failed', `the server died:\n${server.output}`);
  else if (entry.non2xx > 0) mark(entry, 'failed', `${entry.non2xx} answers were not 2xx`);
  else if (runs.some((run) => run.requests === 0)) mark(entry, 'failed', 'a run got no answer at all');
}
