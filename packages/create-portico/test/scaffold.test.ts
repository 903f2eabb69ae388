import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { CreateError, scaffold, TEMPLATES, type ProjectManifest, type Template } from '../src';

const root = mkdtempSync(join(tmpdir(), 'create-portico-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const portico = { '@portico/framework': '^0.1.0', '@portico/server': '^0.1.0' };
const template = (name: string): Template => TEMPLATES.find((candidate) => candidate.name === name) as Template;

/** What each template adds to the Portico packages: the api template imports zod and turns Scarf off. */
const EXTRA: Readonly<Record<string, { dependencies: Record<string, string>; scarfSettings?: { enabled: false } }>> = {
  minimal: { dependencies: {} },
  api: { dependencies: { zod: '^4.6.7' }, scarfSettings: { enabled: false } },
  chat: { dependencies: {} },
};

/** The TypeScript files of a folder, recursively, relative to it. */
const typescriptFiles = (folder: string): string[] =>
  readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts') && !file.includes('node_modules'));

it('every template is tested here', () => {
  expect(TEMPLATES.map((candidate) => candidate.name)).toEqual(Object.keys(EXTRA));
});

describe.each(TEMPLATES.map((candidate) => candidate.name))('the %s template', (name) => {
  const directory = join(root, `My ${name} App`);
  const files = scaffold({ directory, template: template(name), portico, force: false });
  const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as ProjectManifest;

  it('writes a project: app, test, tsconfig, .gitignore, README and package.json', () => {
    expect(files).toEqual(expect.arrayContaining(['.gitignore', 'README.md', 'app.ts', 'package.json', join('test', 'app.test.ts'), 'tsconfig.json']));
    expect(existsSync(join(directory, 'gitignore'))).toBe(false);
    expect(readFileSync(join(directory, '.gitignore'), 'utf8')).toContain('node_modules/');
  });

  it('names the project after its folder, as npm allows', () => {
    expect(manifest.name).toBe(`my-${name}-app`);
    expect(readFileSync(join(directory, 'README.md'), 'utf8')).toMatch(new RegExp(`^# my-${name}-app\\n`));
  });

  it('has the scripts, the Portico dependencies and the pinned tools', () => {
    expect(manifest.scripts).toEqual({
      dev: 'portico serve app.ts --reload',
      start: 'portico serve app.ts',
      build: 'tsc',
      typecheck: 'tsc --noEmit',
      test: 'node --import tsx --test test/*.test.ts',
    });
    expect(manifest.dependencies).toEqual({ ...portico, ...EXTRA[name]!.dependencies });
    expect(Object.keys(manifest.devDependencies)).toEqual(['@types/node', 'tsx', 'typescript']);
    expect(manifest.devDependencies).toMatchObject({ typescript: '~5.9.3', '@types/node': expect.stringMatching(/^\^20\./), tsx: expect.any(String) });
    expect(manifest.scarfSettings).toEqual(EXTRA[name]!.scarfSettings);
  });

  it('is an ES module package whose relative imports name the .js file', () => {
    expect(manifest.type).toBe('module');
    for (const file of typescriptFiles(directory)) {
      const specifiers = [...readFileSync(join(directory, file), 'utf8').matchAll(/from '(\.{1,2}\/[^']*)'/g)].map((match) => match[1]);
      for (const specifier of specifiers) expect(`${file}: ${specifier}`).toMatch(/\.js$/);
    }
  });

  it('has a strict nodenext tsconfig', () => {
    const tsconfig = JSON.parse(readFileSync(join(directory, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    expect(tsconfig.compilerOptions).toMatchObject({ strict: true, module: 'nodenext', moduleResolution: 'nodenext', verbatimModuleSyntax: true });
  });
});

describe('the target folder', () => {
  it('is created with its parents when missing', () => {
    const directory = join(root, 'deep', 'er', 'app');
    scaffold({ directory, template: template('minimal'), portico, force: false });
    expect(existsSync(join(directory, 'app.ts'))).toBe(true);
  });

  it('may be empty, or hold only .git', () => {
    const directory = join(root, 'with-git');
    mkdirSync(join(directory, '.git'), { recursive: true });
    expect(() => scaffold({ directory, template: template('minimal'), portico, force: false })).not.toThrow();
  });

  it('is refused when it holds files, naming them and --force', () => {
    const directory = join(root, 'taken');
    mkdirSync(directory);
    writeFileSync(join(directory, 'notes.txt'), 'mine');
    const attempt = (): string[] => scaffold({ directory, template: template('minimal'), portico, force: false });
    expect(attempt).toThrow(CreateError);
    expect(attempt).toThrow(`The folder ${directory} is not empty (it holds notes.txt). Pick a new folder, or pass --force to write into it anyway.`);
    expect(existsSync(join(directory, 'app.ts'))).toBe(false);
  });

  it('with --force, gets the project and keeps the files it held', () => {
    const directory = join(root, 'forced');
    mkdirSync(directory);
    writeFileSync(join(directory, 'notes.txt'), 'mine');
    scaffold({ directory, template: template('chat'), portico, force: true });
    expect(readFileSync(join(directory, 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(directory, 'public', 'index.html'))).toBe(true);
  });

  it('is refused when it is a file', () => {
    const file = join(root, 'a-file');
    writeFileSync(file, '');
    expect(() => scaffold({ directory: file, template: template('minimal'), portico, force: true })).toThrow(`${file} exists and is not a folder`);
  });
});
