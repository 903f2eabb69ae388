/**
 * Printing what a soak test measured, with what it ran on, so that docs/reliability.md can
 * record it. With SOAK_FIGURES=<file>, each block is also appended to that file as a JSON line.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export type Figure = readonly [label: string, value: string | number];

const MiB = 1024 * 1024;

export const mib = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`;
export const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

function commit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim();
    return dirty === '' ? head : `${head}+dirty`;
  } catch {
    return 'unknown';
  }
}

/** The machine, date and commit: a figure means little without them. */
export function describeRun(): Record<string, string> {
  return {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    commit: commit(),
    machine: `${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`,
  };
}

/** Prints one test's figures as a block; appends them to SOAK_FIGURES when set. */
export function report(test: string, figures: readonly Figure[]): void {
  const width = Math.max(...figures.map(([label]) => label.length));
  const lines = figures.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`);
  process.stdout.write(`\n[soak] ${test}\n${lines.join('\n')}\n`);
  const file = process.env['SOAK_FIGURES'];
  if (file) appendFileSync(file, `${JSON.stringify({ test, ...describeRun(), figures: Object.fromEntries(figures) })}\n`);
}
