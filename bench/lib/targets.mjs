// @ts-check
/**
 * The targets, checked against a sitting's cases: each as a req/s ratio (what the target
 * says) and as the inverse CPU-per-request ratio (what the req/s ratio would be with the server's
 * core saturated, and the steadier figure on a shared machine). A target whose cases did not run
 * (filtered out, skipped, failed) is left out.
 */

/** @typedef {import('./sitting.mjs').Case} Case */

/**
 * @typedef {{
 *   target: string,
 *   byRequests: number | null,
 *   byCpu: number | null,
 *   least: number,
 *   rssFlat?: number | null,
 *   rssPerConnection?: number,
 * }} TargetCheck
 * `byRequests` and `byCpu` are ratios that must be at least `least`. `rssFlat`: the peak RSS
 * ratio to node:http, which must stay under FLAT_RSS too. `rssPerConnection`: the idle target's
 * ratio to node:http, at most 1.2 (then the other ratios are null).
 */

/** A streamed body buffered whole on 100 connections would add about 100 MiB: well past this. */
const FLAT_RSS = 1.3;

/**
 * @param {Case[]} cases
 * @returns {TargetCheck[]}
 */
export function checkTargets(cases) {
  /** @param {string} scenario @param {string} contender */
  const find = (scenario, contender) => cases.find((entry) => entry.scenario === scenario && entry.contender === contender && entry.status === 'ok');
  /** @type {TargetCheck[]} */
  const checks = [];
  /**
   * `a` against `b`: the req/s ratio and the inverse CPU ratio.
   * @param {string} target @param {Case | undefined} a @param {Case | undefined} b @param {number} least @param {boolean} [flat]
   */
  const compare = (target, a, b, least, flat = false) => {
    if (a === undefined || b === undefined) return;
    /** @type {TargetCheck} */
    const check = { target, byRequests: ratio(a.requestsPerSec, b.requestsPerSec), byCpu: ratio(b.cpuMicrosPerRequest, a.cpuMicrosPerRequest), least };
    if (flat) check.rssFlat = a.ratios.peakRss;
    checks.push(check);
  };

  compare('portico-protocol ≥ 0.95 × node:http on GET /', find('plaintext', 'portico-protocol'), find('plaintext', 'node-http'), 0.95);
  for (const scenario of ['plaintext', 'json', 'users']) {
    compare(`portico-framework ≥ 0.90 × node:http on ${scenario}`, find(scenario, 'portico-framework'), find(scenario, 'node-http'), 0.9);
  }
  for (const scenario of ['plaintext', 'json', 'users']) {
    compare(`portico-framework ≥ 1.0 × fastify on ${scenario}`, find(scenario, 'portico-framework'), find(scenario, 'fastify'), 1);
  }
  compare('portico-framework: 1,000 routes ≥ 0.95 × 10 routes', find('routes-1000', 'portico-framework'), find('routes-10', 'portico-framework'), 0.95);
  for (const scenario of ['stream', 'echo']) {
    for (const contender of ['portico-protocol', 'portico-framework']) {
      compare(`${contender} ≥ 0.9 × node:http on ${scenario}, RSS flat`, find(scenario, contender), find(scenario, 'node-http'), 0.9, true);
    }
  }
  for (const contender of ['portico-protocol', 'portico-framework']) {
    const entry = find('idle', contender);
    const perConnection = entry?.ratios.rssPerConnection ?? null;
    if (perConnection !== null) checks.push({ target: `${contender}: idle RSS per connection ≤ 1.2 × node:http`, byRequests: null, byCpu: null, least: 0, rssPerConnection: perConnection });
  }
  return checks;
}

/** @param {number | null} a @param {number | null} b */
function ratio(a, b) {
  return a === null || b === null || b === 0 ? null : a / b;
}

/** @param {number | null} value @param {number} least */
function verdict(value, least) {
  if (value === null) return '–';
  return `${value.toFixed(2)} ${value >= least ? 'met' : 'missed'}`;
}

/** @param {TargetCheck} check */
function cells(check) {
  if (check.rssPerConnection !== undefined) {
    const ratio = check.rssPerConnection;
    return [check.target, `${ratio.toFixed(2)}× ${ratio <= 1.2 ? 'met' : 'missed'}`, '–', 'RSS per idle connection, × node:http'];
  }
  let note = '';
  if (check.rssFlat !== undefined) {
    const flat = check.rssFlat !== null && check.rssFlat <= FLAT_RSS;
    note = check.rssFlat === null ? 'peak RSS not measured' : `peak RSS ${check.rssFlat.toFixed(2)}× node:http: ${flat ? 'flat' : '**not flat**'}`;
  }
  return [check.target, verdict(check.byRequests, check.least), verdict(check.byCpu, check.least), note];
}

/**
 * The checks as a Markdown table, ready for the README.
 *
 * @example
 * console.log(formatTargets(checkTargets(results.cases)));
 *
 * @param {TargetCheck[]} checks
 */
export function formatTargets(checks) {
  return [
    '| target | by req/s | by CPU per request (1 / CPU ratio) | note |',
    '| --- | ---: | ---: | --- |',
    ...checks.map((check) => `| ${cells(check).join(' | ')} |`),
  ].join('\n');
}
