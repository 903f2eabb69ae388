import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

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

const tarballs = new Map<string, string>();
let outside: string;

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(() => {
  outside = mkdtempSync(join(tmpdir(), 'portico-outside-'));
  run(join(repo, 'node_modules', '.bin', 'tsc'), ['-b'], repo);
  for (const name of Object.keys(consumers)) {
    const output = run('npm', ['pack', '--silent', '--pack-destination', outside], join(packagesDir, name)).trim().split('\n');
    tarballs.set(name, join(outside, output[output.length - 1]!));
  }
}, 120_000);

afterAll(() => rmSync(outside, { recursive: true, force: true }));

describe.each(Object.keys(consumers))('@portico/%s from its tarball', (name) => {
  let project: string;

  beforeAll(() => {
    project = join(outside, `consumer-${name}`);
    run('mkdir', ['-p', project], outside);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: `consumer-${name}`, private: true }));
    // The package plus the Portico packages it depends on, all from tarballs; the rest from the registry cache.
    const manifest = JSON.parse(readFileSync(join(packagesDir, name, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    const local = Object.keys(manifest.dependencies ?? {})
      .filter((dep) => dep.startsWith('@portico/'))
      .map((dep) => tarballs.get(dep.slice('@portico/'.length))!);
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--silent', tarballs.get(name)!, ...local], project);
  }, 120_000);

  it('ships only the build output, README and package metadata', () => {
    const listing = run('tar', ['-tzf', tarballs.get(name)!], outside).split('\n').filter(Boolean);
    expect(listing.every((file) => /^package\/(dist\/|bin\/|README\.md$|SPEC\.md$|package\.json$|LICENSE)/.test(file))).toBe(true);
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
