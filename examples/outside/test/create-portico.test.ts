/**
 * A newcomer's first hour, end to end and outside the repository: `npm create portico` from the
 * packed scaffolder, `npm install` of the packed Portico tarballs (third-party packages from the
 * registry), then the generated project's own typecheck, test, start and build scripts.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runAsync } from './support/commands';
import { packPackages, REPO } from './support/pack';
import { npmStart, startServer, type Started } from './support/serve';

/** Checks a served project answers as its template should. */
type PageCheck = (baseUrl: string) => Promise<void>;

const homePage =
  (says: string): PageCheck =>
  async (baseUrl) => {
    const page = await fetch(baseUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(says);
  };

const apiDocs: PageCheck = async (baseUrl) => {
  const docs = await fetch(new URL('/docs', baseUrl));
  expect([docs.status, docs.headers.get('content-type')]).toEqual([200, expect.stringMatching(/^text\/html/)]);
  const document = (await (await fetch(new URL('/openapi.json', baseUrl))).json()) as { openapi: string; paths: Record<string, unknown> };
  expect(document.openapi).toMatch(/^3\.1\./);
  expect(Object.keys(document.paths)).toEqual(['/items', '/items/{id}']);
};

/** Each template, the Portico packages it installs, and what its server answers. */
const TEMPLATES = [
  { name: 'minimal', portico: ['framework', 'protocol', 'server'], check: homePage('Hello from Portico!') },
  { name: 'api', portico: ['api', 'framework', 'protocol', 'server'], check: apiDocs },
  { name: 'chat', portico: ['framework', 'protocol', 'server'], check: homePage('<title>Portico chat</title>') },
] as const;
type TemplateCase = (typeof TEMPLATES)[number];

let outside: string;
let tarballDir: string;
const projectDir = (template: string): string => join(outside, `my-${template}-app`);

/** Every template at once: the steps are mostly waiting on npm, tsc and the network. */
const eachTemplate = (check: (template: TemplateCase) => Promise<void>): Promise<void[]> => Promise.all(TEMPLATES.map(check));

/** Serve with `start`, check the pages, then stop it whatever happened. */
async function whileServed(start: Promise<Started>, check: PageCheck): Promise<void> {
  const server = await start;
  try {
    await check(server.url);
  } finally {
    await server.stop();
  }
}

beforeAll(async () => {
  outside = mkdtempSync(join(tmpdir(), 'portico-create-'));
  tarballDir = join(outside, 'tarballs');
  mkdirSync(tarballDir);
  const tarballs = packPackages(tarballDir, ['protocol', 'server', 'framework', 'api', 'create-portico']);
  await eachTemplate(async ({ name }) => {
    // What `npm create portico` runs once published: npm exec of the create-portico package.
    const scaffolder = ['exec', '--yes', `--package=${tarballs.get('create-portico')!}`, '--', 'create-portico'];
    await runAsync('npm', [...scaffolder, `my-${name}-app`, '--template', name, '--tarballs', tarballDir], outside);
    await runAsync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], projectDir(name));
  });
}, 300_000);

afterAll(() => rmSync(outside, { recursive: true, force: true }));

describe('create-portico, packed and run outside the repository', () => {
  it('generates ES module projects outside the repository that take @portico/* from the tarballs', async () => {
    expect(outside.startsWith(REPO)).toBe(false);
    await eachTemplate(async ({ name, portico }) => {
      const manifest = JSON.parse(readFileSync(join(projectDir(name), 'package.json'), 'utf8')) as { type: string; dependencies: Record<string, string> };
      expect(manifest.type).toBe('module');
      const fromTarballs = Object.keys(manifest.dependencies).filter((dependency) => manifest.dependencies[dependency]!.startsWith('file:../tarballs/'));
      expect(fromTarballs).toEqual(portico.map((dependency) => `@portico/${dependency}`));
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
    await eachTemplate(async ({ name, check }) => {
      await whileServed(npmStart(projectDir(name)), check);
    });
  }, 120_000);

  it('builds each project with tsc into ES modules that plain Node loads and portico serves', async () => {
    await eachTemplate(async ({ name, check }) => {
      await runAsync('npm', ['run', 'build'], projectDir(name));
      // No tsx here: Node's own ESM loader takes the CommonJS @portico packages' named exports.
      await runAsync('node', ['dist/app.js'], projectDir(name));
      await whileServed(startServer(projectDir(name), ['exec', '--', 'portico', 'serve', 'dist/app.js', '--port', '0']), check);
    });
  }, 180_000);
});
