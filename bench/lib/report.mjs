// @ts-check
/** The printed tables: one Markdown table per scenario, ready to paste into the README. */

/**
 * @typedef {import('./sitting.mjs').Case} Case
 * @typedef {import('./scenarios.mjs').Scenario} Scenario
 */

const DASH = '–';

/** @param {number | null} value @param {number} digits */
function fixed(value, digits) {
  return value === null ? DASH : value.toFixed(digits);
}

/** @param {number | null} value */
function count(value) {
  return value === null ? DASH : Math.round(value).toLocaleString('en-US');
}

/** @param {number | null} bytes */
function mib(bytes) {
  return bytes === null ? DASH : (bytes / 2 ** 20).toFixed(1);
}

/** @param {number | null} bytes */
function kib(bytes) {
  return bytes === null ? DASH : (bytes / 1024).toFixed(1);
}

/** @param {number | null} value */
function percent(value) {
  return value === null ? DASH : `±${Math.round(value * 100)}%`;
}

/** @param {number | null} value */
function times(value) {
  return value === null ? DASH : `${value.toFixed(2)}×`;
}

/** @param {string[]} cells */
function row(cells) {
  return `| ${cells.join(' | ')} |`;
}

/** @param {string[]} header @param {string[][]} rows */
function table(header, rows) {
  return [row(header), row(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(row)].join('\n');
}

/** @param {Case} entry */
function idleCells(entry) {
  const runs = /** @type {import('./sitting.mjs').IdleRun[]} */ (entry.runs);
  const open = runs.length === 0 ? null : Math.min(...runs.map((run) => run.stillOpen));
  return [count(open), kib(entry.rssPerConnectionBytes), times(entry.ratios.rssPerConnection), mib(entry.peakRssBytes)];
}

/** @param {Case} entry @param {boolean} routing @param {boolean} compared */
function loadCells(entry, routing, compared) {
  const cells = [
    count(entry.requestsPerSec),
    percent(entry.requestsPerSecSpread),
    times(routing ? entry.ratios.routes10 : entry.ratios.requestsPerSec),
    fixed(entry.cpuMicrosPerRequest, 0),
    fixed(entry.latencyP50Ms, 2),
    fixed(entry.latencyP99Ms, 2),
    mib(entry.peakRssBytes),
  ];
  if (!routing) cells.splice(4, 0, times(entry.ratios.cpuPerRequest));
  if (!routing) cells.push(times(entry.ratios.peakRss));
  if (compared) cells.push(times(entry.ratios.lastRun));
  return cells;
}

/**
 * One scenario's table, and under it why a row has no numbers.
 *
 * @example
 * console.log(formatScenario(scenario, cases, { connections: 100 }));
 *
 * @param {Scenario} scenario
 * @param {Case[]} cases
 * @param {{ connections: number, pipelining: number }} settings
 */
export function formatScenario(scenario, cases, settings) {
  const routing = scenario.kind === 'load' && scenario.routes > 0;
  const compared = cases.some((entry) => entry.ratios.lastRun !== null);
  /** @type {string[]} */
  let header;
  let heading;
  if (scenario.kind === 'idle') {
    heading = `${scenario.name}: ${scenario.title}`;
    header = ['contender', 'open', 'RSS/conn KiB', '× node:http', 'peak RSS MiB'];
  } else {
    heading = `${scenario.name}: ${scenario.title} (${settings.connections} connections, pipelining ${settings.pipelining})`;
    header = ['contender', 'req/s', '± runs', routing ? '× 10 routes' : '× node:http', 'CPU µs/req'];
    if (!routing) header.push('CPU × node:http');
    header.push('p50 ms', 'p99 ms', 'peak RSS MiB');
    if (!routing) header.push('RSS × node:http');
    if (compared) header.push('req/s × last run');
  }
  /** @type {string[]} */
  const notes = [];
  const rows = cases.map((entry) => {
    if (entry.status !== 'ok') {
      const reason = (entry.reason ?? '').split('\n').join('\n    ');
      notes.push(`- ${entry.contender}: ${entry.status}: ${reason}`);
      return [entry.contender, entry.status, ...header.slice(2).map(() => DASH)];
    }
    if (entry.errors > 0) notes.push(`- ${entry.contender}: ${entry.errors} socket errors or timeouts`);
    const cells = scenario.kind === 'idle' ? idleCells(entry) : loadCells(entry, routing, compared);
    return [entry.contender, ...cells];
  });
  return [`### ${heading}`, '', table(header, rows), ...(notes.length > 0 ? ['', ...notes] : [])].join('\n');
}
