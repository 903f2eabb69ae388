import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { CreateError, readyTemplates, scaffold, TEMPLATES, type ProjectManifest, type Template } from '../src';

const root = mkdtempSync(join(tmpdir(), 'create-portico-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const portico = { '@portico/framework': '^0.1.0', '@portico/server': '^0.1.0' };
const template = (name: string): Template => TEMPLATES.find((candidate) => candidate.name === name) as Template;

describe.each(readyTemplates().map((ready) => ready.name))('the %s template', (name) => {
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
    expect(manifest.dependencies).toEqual(portico);
    expect(Object.keys(manifest.devDependencies)).toEqual(['@types/node', 'tsx', 'typescript']);
    expect(manifest.devDependencies).toMatchObject({ typescript: '~5.9.3', '@types/node': expect.stringMatching(/^\^20\./), tsx: expect.any(String) });
    expect(manifest.scarfSettings).toBeUndefined();
  });

  it('has a strict node16 tsconfig', () => {
    const tsconfig = JSON.parse(readFileSync(join(directory, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    expect(tsconfig.compilerOptions).toMatchObject({ strict: true, module: 'node16', moduleResolution: 'node16' });
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
