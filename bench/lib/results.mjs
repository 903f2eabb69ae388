// @ts-check
/** The results of a sitting: ratios between cases, the machine they ran on, the JSON file. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, release, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { BASELINE, SYSTEM_PYTHON } from './contenders.mjs';
import { ROUTING_BASE } from './scenarios.mjs';

/**
 * @typedef {import('./sitting.mjs').Case} Case
 * @typedef {{
 *   date: string, command: string, commit: string | null,
 *   machine: Record<string, string | number | null>,
 *   settings: Record<string, string | number | null>,
 *   cases: Case[],
 * }} Results
 */

/** @param {number | null | undefined} value @param {number | null | undefined} base */
function ratio(value, base) {
  return value == null || base == null || base === 0 ? null : value / base;
}

/**
 * Fills in each case's ratios: to raw node:http in the same scenario (req/s, CPU per request,
 * peak RSS, RSS per idle connection), to the same contender's 10-route figure (routing scale), and
 * to the same case in the previous results (req/s), when those were measured.
 *
 * @param {Case[]} cases
 * @param {Case[]} previous
 */
export function addRatios(cases, previous) {
  /** @param {Case[]} list @param {string} scenario @param {string} contender */
  const find = (list, scenario, contender) =>
    list.find((entry) => entry.scenario === scenario && entry.contender === contender && entry.status === 'ok');
  for (const entry of cases) {
    if (entry.status !== 'ok') continue;
    const baseline = find(cases, entry.scenario, BASELINE);
    entry.ratios.requestsPerSec = ratio(entry.requestsPerSec, baseline?.requestsPerSec);
    entry.ratios.cpuPerRequest = ratio(entry.cpuMicrosPerRequest, baseline?.cpuMicrosPerRequest);
    entry.ratios.peakRss = ratio(entry.peakRssBytes, baseline?.peakRssBytes);
    entry.ratios.rssPerConnection = ratio(entry.rssPerConnectionBytes, baseline?.rssPerConnectionBytes);
    if (entry.scenario.startsWith('routes-')) {
      entry.ratios.routes10 = ratio(entry.requestsPerSec, find(cases, ROUTING_BASE, entry.contender)?.requestsPerSec);
    }
    entry.ratios.lastRun = ratio(entry.requestsPerSec, find(previous, entry.scenario, entry.contender)?.requestsPerSec);
  }
}

/** @param {string} file @param {string[]} args */
function firstLine(file, args) {
  const probe = spawnSync(file, args, { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return null;
  return `${probe.stdout}${probe.stderr}`.trim().split('\n')[0] ?? null;
}

/** What the numbers were measured on: they mean little without it. */
export function describeMachine() {
  return {
    cpu: cpus()[0]?.model ?? null,
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    python: firstLine(SYSTEM_PYTHON, ['--version']),
  };
}

/** The commit measured, with `+dirty` when the tree had uncommitted changes. */
export function describeCommit() {
  const commit = firstLine('git', ['rev-parse', '--short', 'HEAD']);
  if (commit === null) return null;
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' });
  return dirty.stdout?.trim() ? `${commit}+dirty` : commit;
}

/** The version line of the load generator in use. @param {boolean} useWrk */
export function describeLoader(useWrk) {
  if (useWrk) return firstLine('wrk', ['-v']) ?? 'wrk';
  return `autocannon ${createRequire(import.meta.url)('autocannon/package.json').version}`;
}

/** The cases of an earlier results file, or none when there is none to read. @param {string} file */
export function readCases(file) {
  try {
    /** @type {Results} */
    const results = JSON.parse(readFileSync(file, 'utf8'));
    return Array.isArray(results.cases) ? results.cases : [];
  } catch {
    return [];
  }
}

/** @param {string} file @param {Results} results */
export function writeResults(file, results) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}
