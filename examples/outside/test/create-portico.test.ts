/**
 * A newcomer's first hour, end to end and outside the repository: `npm create portico` from the
 * packed scaffolder, `npm install` of the packed Portico tarballs (third-party packages from the
 * registry), then the generated project's own typecheck, test and start scripts.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runAsync } from './support/commands';
import { packPackages, REPO } from './support/pack';
import { npmStart } from './support/serve';

/** Each ready template and what its home page says. */
const TEMPLATES = [
  { name: 'minimal', home: 'Hello from Portico!' },
  { name: 'chat', home: '<title>Portico chat</title>' },
] as const;

let outside: string;
let tarballDir: string;
const projectDir = (template: string): string => join(outside, `my-${template}-app`);

/** Every template at once: the steps are mostly waiting on npm, tsc and the network. */
const eachTemplate = (check: (template: (typeof TEMPLATES)[number]) => Promise<void>): Promise<void[]> => Promise.all(TEMPLATES.map(check));

beforeAll(async () => {
  outside = mkdtempSync(join(tmpdir(), 'portico-create-'));
  tarballDir = join(outside, 'tarballs');
  mkdirSync(tarballDir);
  const tarballs = packPackages(tarballDir, ['protocol', 'server', 'framework', 'create-portico']);
  await eachTemplate(async ({ name }) => {
    // What `npm create portico` runs once published: npm exec of the create-portico package.
    const scaffolder = ['exec', '--yes', `--package=${tarballs.get('create-portico')!}`, '--', 'create-portico'];
    await runAsync('npm', [...scaffolder, `my-${name}-app`, '--template', name, '--tarballs', tarballDir], outside);
    await runAsync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], projectDir(name));
  });
}, 300_000);

afterAll(() => rmSync(outside, { recursive: true, force: true }));

describe('create-portico, packed and run outside the repository', () => {
  it('generates projects outside the repository that take @portico/* from the tarballs', async () => {
    expect(outside.startsWith(REPO)).toBe(false);
    await eachTemplate(async ({ name }) => {
      const manifest = JSON.parse(readFileSync(join(projectDir(name), 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
      expect(manifest.dependencies['@portico/framework']).toBe('file:../tarballs/portico-framework-0.1.0.tgz');
      const installed = JSON.parse(readFileSync(join(projectDir(name), 'node_modules', '@portico', 'protocol', 'package.json'), 'utf8')) as { version: string };
      expect(installed.version).toBe('0.1.0');
    });
  });

  it('type-checks each project with its own typecheck script', async () => {
    await eachTemplate(async ({ name }) => {
      await runAsync('npm', ['run', 'typecheck'], projectDir(name));
    });
  }, 180_000);

  it("passes each project's own tests", async () => {
    await eachTemplate(async ({ name }) => {
      const { stdout } = await runAsync('npm', ['test'], projectDir(name));
      expect(stdout).toMatch(/# fail 0/);
      expect(stdout).toMatch(/# pass [1-9]/);
    });
  }, 120_000);

  it('serves each project with npm start, until stopped', async () => {
    await eachTemplate(async ({ name, home }) => {
      const server = await npmStart(projectDir(name));
      try {
        const page = await fetch(server.url);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain(home);
      } finally {
        await server.stop();
      }
    });
  }, 120_000);
});
