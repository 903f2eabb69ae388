import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { LIBRARY_VERSIONS, PORTICO_DEPENDENCIES, porticoDependencies, porticoVersion, TEMPLATES, TOOL_VERSIONS, type PorticoPackage, type Template } from '../src';

const repo = join(__dirname, '..', '..', '..');
const manifest = (path: string): { version: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> } =>
  JSON.parse(readFileSync(join(repo, path, 'package.json'), 'utf8')) as never;
const minimal = TEMPLATES.find((template) => template.name === 'minimal') as Template;
const api = TEMPLATES.find((template) => template.name === 'api') as Template;

describe('porticoDependencies', () => {
  const tarballs = mkdtempSync(join(tmpdir(), 'portico-tarballs-'));
  afterAll(() => rmSync(tarballs, { recursive: true, force: true }));

  it('depends on the registry at this version by default', () => {
    expect(porticoDependencies(minimal, '0.1.0', '/x/app', undefined)).toEqual({ '@portico/framework': '^0.1.0', '@portico/server': '^0.1.0' });
  });

  it('points at every tarball the template needs, the protocol included, relative to the project', () => {
    for (const name of ['protocol', 'server', 'framework']) writeFileSync(join(tarballs, `portico-${name}-0.1.0.tgz`), '');
    expect(porticoDependencies(minimal, '0.1.0', join(tarballs, '..', 'app'), tarballs)).toEqual(
      Object.fromEntries(['framework', 'protocol', 'server'].map((name) => [`@portico/${name}`, `file:../${basename(tarballs)}/portico-${name}-0.1.0.tgz`])),
    );
  });

  it('for the api template, adds @portico/api to the tarballs', () => {
    writeFileSync(join(tarballs, 'portico-api-0.1.0.tgz'), '');
    expect(Object.keys(porticoDependencies(api, '0.1.0', join(tarballs, '..', 'app'), tarballs))).toEqual(['@portico/api', '@portico/framework', '@portico/protocol', '@portico/server']);
  });

  it('names the missing tarballs and the npm pack command that makes them', () => {
    expect(() => porticoDependencies(minimal, '9.9.9', '/x/app', tarballs)).toThrow(
      /has no portico-framework-9\.9\.9\.tgz, portico-protocol-9\.9\.9\.tgz, portico-server-9\.9\.9\.tgz: in a Portico clone, run npm pack -w packages\/framework -w packages\/protocol -w packages\/server/,
    );
  });
});

describe('what the scaffolder knows of this repo stays true', () => {
  it('PORTICO_DEPENDENCIES is the packages’ own dependency graph', () => {
    for (const [name, expected] of Object.entries(PORTICO_DEPENDENCIES) as [PorticoPackage, PorticoPackage[]][]) {
      const actual = Object.keys(manifest(`packages/${name}`).dependencies ?? {})
        .filter((dep) => dep.startsWith('@portico/'))
        .map((dep) => dep.slice('@portico/'.length));
      expect(actual.sort()).toEqual([...expected].sort());
    }
  });

  it('generates projects at the version of the Portico packages', () => {
    for (const name of ['protocol', 'server', 'framework', 'api']) expect(manifest(`packages/${name}`).version).toBe(porticoVersion());
  });

  it('pins the TypeScript, @types/node and tsx this repo builds with', () => {
    expect(TOOL_VERSIONS.typescript).toBe(manifest('.').devDependencies?.['typescript']);
    expect(TOOL_VERSIONS['@types/node']).toMatch(/^\^20\./);
    expect(TOOL_VERSIONS.tsx).toBe(manifest('packages/server').dependencies?.['tsx']);
  });

  it('gives the project the zod that @portico/api validates with', () => {
    expect(LIBRARY_VERSIONS.zod).toBe(manifest('packages/api').dependencies?.['zod']);
  });
});
