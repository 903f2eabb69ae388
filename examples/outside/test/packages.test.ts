import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { run } from './support/commands';
import { packPackages, PUBLISHED, type Published } from './support/pack';

const repo = join(__dirname, '..', '..', '..');
const packagesDir = join(repo, 'packages');

/** What a consumer writes for each package: plain JS to run, TypeScript to type-check. */
const consumers: Record<string, { js: string; prints: string; ts: string; nodeTypes?: boolean }> = {
  protocol: {
    js: "const p = require('@portico/protocol'); console.log(typeof p.guard, p.httpScope().type);",
    prints: 'function http',
    ts: [
      "import { guard, httpScope, type App } from '@portico/protocol';",
      "const app: App = async (_scope, _receive, send) => { await send({ type: 'http.response.start', status: 204 }); await send({ type: 'http.response.body' }); };",
      'export const guarded: App = guard(app);',
      "export const method: string = httpScope().method;",
    ].join('\n'),
  },
  server: {
    js: "const s = require('@portico/server'); console.log(typeof s.serve, new s.Server(async () => {}, { port: 0 }).config.port);",
    prints: 'function 0',
    ts: [
      "import { Server, type ServerOptions } from '@portico/server';",
      "import type { App } from '@portico/protocol';",
      "const app: App = async () => undefined;",
      "const options: ServerOptions = { host: '127.0.0.1', port: 0, lifespan: 'off' };",
      'export const server = new Server(app, options);',
    ].join('\n'),
    nodeTypes: true,
  },
  framework: {
    js: "const f = require('@portico/framework'); const app = new f.App(); app.get('/', () => new f.PlainTextResponse('hi')); new f.TestClient(app).get('/').then((r) => console.log(r.status, r.text));",
    prints: '200 hi',
    ts: [
      "import { App, JSONResponse, TestClient } from '@portico/framework';",
      'const app = new App();',
      "app.get('/users/:id', (request) => new JSONResponse({ id: request.pathParams.id }));",
      "export const answer: Promise<number> = new TestClient(app).get('/users/1').then((response) => response.status);",
    ].join('\n'),
    nodeTypes: true,
  },
};

let tarballs: Map<Published, string>;
let outside: string;

beforeAll(() => {
  outside = mkdtempSync(join(tmpdir(), 'portico-outside-'));
  tarballs = packPackages(outside);
}, 180_000);

afterAll(() => rmSync(outside, { recursive: true, force: true }));

/** Every file under `dir`, relative to it. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

describe.each([...PUBLISHED])('the %s tarball', (name) => {
  let unpacked: string;

  beforeAll(() => {
    unpacked = join(outside, `unpacked-${name}`);
    mkdirSync(unpacked);
    run('tar', ['-xzf', tarballs.get(name)!, '-C', unpacked], outside);
    unpacked = join(unpacked, 'package');
  });

  it('carries the repository LICENSE', () => {
    expect(readFileSync(join(unpacked, 'LICENSE'), 'utf8')).toBe(readFileSync(join(repo, 'LICENSE'), 'utf8'));
  });

  it('has no source map pointing at a file it does not ship', () => {
    const maps = listFiles(unpacked).filter((file) => file.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    const missing = maps.flatMap((map) => {
      const { file, sources, sourceRoot } = JSON.parse(readFileSync(join(unpacked, map), 'utf8')) as { file: string; sources: string[]; sourceRoot?: string };
      const base = resolve(unpacked, dirname(map), sourceRoot ?? '');
      return [resolve(unpacked, dirname(map), file), ...sources.map((source) => resolve(base, source))]
        .filter((target) => !existsSync(target))
        .map((target) => `${map} -> ${relative(unpacked, target)}`);
    });
    expect(missing).toEqual([]);
  });

  it('points at its repository folder and a license', () => {
    const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8')) as { license?: string; repository?: { directory?: string }; scripts?: { prepack?: string } };
    expect(manifest.license).toBe('MIT');
    expect(manifest.repository?.directory).toBe(`packages/${name}`);
    expect(manifest.scripts?.prepack).toMatch(/^tsc -b/);
  });
});

describe.each(Object.keys(consumers))('@portico/%s from its tarball', (name) => {
  let project: string;

  beforeAll(() => {
    project = join(outside, `consumer-${name}`);
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: `consumer-${name}`, private: true }));
    // The package plus the Portico packages it depends on, all from tarballs; the rest from the registry cache.
    const manifest = JSON.parse(readFileSync(join(packagesDir, name, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    const local = Object.keys(manifest.dependencies ?? {})
      .filter((dep) => dep.startsWith('@portico/'))
      .map((dep) => tarballs.get(dep.slice('@portico/'.length) as Published)!);
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--silent', tarballs.get(name as Published)!, ...local], project);
  }, 120_000);

  it('ships only the build output, its sources, README, LICENSE and package metadata', () => {
    const listing = run('tar', ['-tzf', tarballs.get(name as Published)!], outside).split('\n').filter(Boolean);
    expect(listing.filter((file) => !/^package\/(dist\/|src\/|bin\/|README\.md$|SPEC\.md$|package\.json$|LICENSE$)/.test(file))).toEqual([]);
    expect(listing).toContain('package/dist/index.js');
    expect(listing).toContain('package/dist/index.d.ts');
    expect(listing.some((file) => file.endsWith('.tsbuildinfo'))).toBe(false);
  });

  it('loads from plain Node with require and import', () => {
    expect(run('node', ['-e', consumers[name]!.js], project).trim()).toBe(consumers[name]!.prints);
    const esm = run('node', ['--input-type=module', '-e', `import * as m from '@portico/${name}'; console.log(Object.keys(m).length > 0);`], project);
    expect(esm.trim()).toBe('true');
  });

  if (name === 'server') {
    it('installs the portico command', () => {
      expect(run('npx', ['--no-install', 'portico', '--help'], project)).toMatch(/portico serve/);
    });
  }

  it('type-checks a consumer against the installed declarations', () => {
    writeFileSync(join(project, 'consumer.ts'), consumers[name]!.ts);
    // No skipLibCheck: the shipped .d.ts files must compile for a strict consumer too.
    const compilerOptions = { strict: true, noEmit: true, module: 'node16', moduleResolution: 'node16', target: 'es2022', types: consumers[name]!.nodeTypes ? ['node'] : [] };
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['consumer.ts'] }));
    const result = spawnSync(join(repo, 'node_modules', '.bin', 'tsc'), ['-p', '.', '--typeRoots', join(repo, 'node_modules', '@types')], { cwd: project, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
