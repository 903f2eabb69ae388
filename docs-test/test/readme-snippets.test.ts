import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { checkModules } from '../src/check';
import { documentSnippets } from '../src/documents';
import { expectedOutput, matchesOutput } from '../src/expected-output';
import { snippetModules } from '../src/modules';
import { runModule, type RunResult } from '../src/run';

/**
 * Every TypeScript block of the READMEs, SPEC.md and docs/ is type-checked as an ES module
 * under the repo's strict settings; `run` and `serve` blocks are also executed.
 */
const root = join(__dirname, '..', '..');
const documents = documentSnippets(root);
const modulesByFile = new Map([...documents].map(([file, snippets]) => [file, snippetModules(root, snippets)]));
const diagnostics = checkModules(root, [...modulesByFile.values()].flat());

const RUN_TIMEOUT_MS = 15_000;

function outcome(result: RunResult): string {
  return result.timedOut ? `timed out after ${RUN_TIMEOUT_MS} ms` : `exited with ${result.signal ?? `code ${result.code}`}`;
}

describe.each([...documents.keys()].filter((file) => (documents.get(file) ?? []).length > 0))('%s', (file) => {
  const modules = modulesByFile.get(file) ?? [];
  const fileModules = modules.filter((module) => module.snippet.directives.file !== undefined);

  for (const snippet of documents.get(file) ?? []) {
    const where = `${file}:${snippet.line}`;
    const module = modules.find((candidate) => candidate.snippet === snippet);
    if (!module) {
      it.skip(`${where} skipped: ${snippet.directives.skip ?? ''}`, () => undefined);
      continue;
    }

    it(`${where} type-checks`, () => {
      const found = (diagnostics.get(module.path) ?? []).map(({ line, message }) => `${file}:${line}: ${message}`);
      expect(found).toEqual([]);
    });

    if (expectedOutput(snippet.code) && !snippet.directives.run) {
      it(`${where} shows output, so it is marked run`, () => {
        throw new Error(`${where} has // → or // prints: comments; put <!-- doctest: run --> before it so they are checked`);
      });
    }

    if (snippet.directives.run) {
      it(`${where} runs${expectedOutput(snippet.code) ? ' and prints what it shows' : ''}`, async () => {
        const result = await runModule(root, module, fileModules.filter((other) => other !== module), RUN_TIMEOUT_MS);
        if (result.timedOut || result.code !== 0) throw new Error(`${where} ${outcome(result)}\n${result.stderr}`);
        const expected = expectedOutput(snippet.code);
        if (expected && !matchesOutput(expected, result.stdout)) expect(result.stdout).toBe(expected.join('\n'));
      }, RUN_TIMEOUT_MS + 5_000);
    }

    if (snippet.directives.serve) {
      it(`${where} serves, answers GET / and stops on SIGINT`, async () => {
        const result = await runModule(root, module, fileModules.filter((other) => other !== module), RUN_TIMEOUT_MS);
        const output = `${result.stdout}${result.stderr}`;
        if (result.url === undefined) throw new Error(`${where} never listened; ${outcome(result)}\n${output}`);
        if (result.status === undefined) throw new Error(`${where} listened on ${result.url} but did not answer GET /\n${output}`);
        if (result.timedOut || result.code !== 0) throw new Error(`${where} did not stop cleanly on SIGINT; ${outcome(result)}\n${output}`);
      }, RUN_TIMEOUT_MS + 5_000);
    }
  }
});
