/** The options are described once, in cli/options.ts: `--help` and the README's table are made from it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import { optionsMarkdown } from '../src/cli/help';

it("the README's options table is the one made from the flags (on a mismatch, paste the expected table)", () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const start = readme.indexOf('| flag | option | default | what it does |');
  const table = readme.slice(start, readme.indexOf('\n\n', start));
  expect(table).toBe(optionsMarkdown());
});
