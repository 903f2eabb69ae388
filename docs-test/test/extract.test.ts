import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DoctestSyntaxError, extractSnippets } from '../src/extract';
import { expectedOutput, matchesOutput } from '../src/expected-output';
import { snippetModules } from '../src/modules';

const fixture = readFileSync(join(__dirname, 'fixtures', 'conventions.md'), 'utf8');
const snippets = extractSnippets('fixture.md', fixture);
const none = { continues: false, run: false, serve: false };

describe('extractSnippets', () => {
  it('finds the TypeScript blocks with their first code line and directives', () => {
    expect(snippets.map(({ line, directives }) => ({ line, directives }))).toEqual([
      { line: 9, directives: { ...none, file: 'app.ts' } },
      { line: 14, directives: { ...none, continues: true } },
      { line: 19, directives: { ...none, run: true } },
      { line: 29, directives: { ...none, given: { code: 'declare const db: { close(): void };', line: 26 } } },
      { line: 34, directives: { ...none, skip: 'pseudo-code on purpose' } },
      { line: 41, directives: { ...none, serve: true } },
    ]);
  });

  it('strips the indentation of a block inside a list', () => {
    expect(snippets[5]?.code).toBe('await serve(app, { port: 8000 });');
  });

  it('reads several words in one comment', () => {
    const [snippet] = extractSnippets('x.md', '<!-- doctest: file app.ts run -->\n```ts\nexport {};\n```\n');
    expect(snippet?.directives).toEqual({ ...none, run: true, file: 'app.ts' });
  });

  it.each([
    ['a skip without a reason', '<!-- doctest: skip () -->\n```ts\nx\n```\n', 'x.md:1: skip needs a reason: skip (why)'],
    ['an unknown word', '<!-- doctest: runs -->\n```ts\nx\n```\n', "x.md:1: unknown doctest directive 'runs'"],
    ['a comment before prose', '<!-- doctest: run -->\ntext\n```ts\nx\n```\n', 'x.md:1: doctest comment not followed by a code block'],
    ['a comment before a shell block', '<!-- doctest: run -->\n```sh\nx\n```\n', 'x.md:1: doctest comment before a non-TypeScript block'],
    ['a block never closed', '```ts\nx\n', 'x.md:1: code block never closed'],
  ])('rejects %s', (_name, markdown, message) => {
    expect(() => extractSnippets('x.md', markdown)).toThrow(new DoctestSyntaxError(message));
  });
});

describe('snippetModules', () => {
  const modules = snippetModules('/repo', snippets);

  it('gives every block but the skipped one a module beside the markdown, named blocks by name', () => {
    expect(modules.map((module) => module.path)).toEqual(
      ['app.ts', 'L14.ts', 'L19.ts', 'L29.ts', 'L41.ts'].map((name) => `/repo/.doctest-fixture/${name}`),
    );
  });

  it('prepends the block a block continues and the given code, and maps each line back', () => {
    expect(modules[1]?.source).toBe("export const greeting = 'hi';\nconsole.log(greeting); // → hi\nexport {};");
    expect(modules[1]?.lines).toEqual([9, 14, 0]);
    expect(modules[3]?.source).toBe('declare const db: { close(): void };\ndb.close();\nexport {};');
    expect(modules[3]?.lines).toEqual([26, 29, 0]);
  });
});

describe('expectedOutput', () => {
  it('reads `// →` lines and `// prints:` with the comment lines after it', () => {
    expect(expectedOutput(snippets[1]?.code ?? '')).toEqual(['hi']);
    expect(expectedOutput(snippets[2]?.code ?? '')).toEqual(['b', 'c']);
    expect(expectedOutput('const x = 1;')).toBeUndefined();
    expect(expectedOutput("throw new Error('x'); // → onError")).toBeUndefined();
  });

  it('compares line by line, with … standing for any text', () => {
    expect(matchesOutput(['200 { id: … }', 'done'], '200 { id: 42 }  \ndone\n\n')).toBe(true);
    expect(matchesOutput(['200 { id: 42 }'], '404 { id: 42 }\n')).toBe(false);
    expect(matchesOutput(['a'], 'a\nb\n')).toBe(false);
  });
});
