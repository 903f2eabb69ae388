/**
 * `portico serve` in a new project: CommonJS or ES module package, with or without tsconfig.json,
 * the app in .ts, .mts, .cts, .js or .mjs. Each project lives outside the repository.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { appSource, usePortico, useProjects, type PorticoProcess } from './support/cli';

const portico = usePortico();
const project = useProjects();

const EXTENSIONS = ['ts', 'mts', 'cts', 'js', 'mjs'] as const;
type Extension = (typeof EXTENSIONS)[number];
type PackageType = 'commonjs' | 'module';

/** The app file a user of that package would write: CommonJS syntax only where the file is CommonJS JavaScript. */
function appFile(extension: Extension, type: PackageType): string {
  const typescript = extension === 'ts' || extension === 'mts' || extension === 'cts';
  return appSource(`${extension} in a ${type} package`, { typescript, commonjs: extension === 'js' && type === 'commonjs' });
}

/** Starts the app, checks its answer, and stops it with SIGTERM. */
async function serveOnce(cli: PorticoProcess, expected: string): Promise<void> {
  const origin = await cli.origin();
  expect(await (await fetch(origin)).text()).toBe(expected);
  cli.child.kill('SIGTERM');
  expect((await cli.exited).code).toBe(0);
}

describe.each<[PackageType, boolean]>([
  ['commonjs', true],
  ['commonjs', false],
  ['module', true],
  ['module', false],
])('a %s package, tsconfig.json: %s', (type, tsconfig) => {
  it.each(EXTENSIONS)('serves app.%s', async (extension) => {
    const files: Record<string, string> = {
      'package.json': JSON.stringify({ name: 'new-project', private: true, ...(type === 'module' ? { type } : {}) }),
      [`app.${extension}`]: appFile(extension, type),
    };
    if (tsconfig) files['tsconfig.json'] = JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', target: 'es2022' } });
    const dir = project(files);
    const cli = portico(['serve', `app.${extension}`, '--port', '0'], { cwd: dir });
    await serveOnce(cli, `${extension} in a ${type} package`);
    expect(cli.output()).not.toMatch(/ERROR|WARNING/);
  });
});

it('serves a TypeScript ES module that imports another one, as `tsx` would', async () => {
  const dir = project({
    'package.json': JSON.stringify({ type: 'module' }),
    'greeting.ts': 'export const greeting: string = "hello from greeting.ts";\n',
    'app.ts': `import { greeting } from './greeting.js';\n${appSource('unused', { typescript: true }).replace('"unused"', 'greeting')}`,
  });
  await serveOnce(portico(['serve', 'app.ts', '--port', '0'], { cwd: dir }), 'hello from greeting.ts');
});

it('serves a .ts app with --workers 2: every worker loads it', async () => {
  const dir = project({ 'package.json': JSON.stringify({ type: 'module' }), 'app.ts': appSource('from a worker', { typescript: true }) });
  const cli = portico(['serve', 'app.ts', '--workers', '2', '--port', '0'], { cwd: dir });
  await cli.waitFor(/Worker \[\d+\] is serving\.(.|\n)*Worker \[\d+\] is serving\./);
  await serveOnce(cli, 'from a worker');
});

it('reloads a .ts app with --reload', async () => {
  const dir = project({ 'package.json': JSON.stringify({ type: 'module' }), 'app.ts': appSource('version 1', { typescript: true }) });
  const cli = portico(['serve', 'app.ts', '--reload', '--port', '0'], { cwd: dir });
  expect(await (await fetch(await cli.origin())).text()).toBe('version 1');
  const mark = cli.output().length;
  writeFileSync(join(dir, 'app.ts'), appSource('version 2', { typescript: true }));
  await cli.waitFor(/Detected changes in app\.ts\. Reloading\.\.\./, mark);
  await serveOnce({ ...cli, origin: () => cli.origin(mark) }, 'version 2');
});
