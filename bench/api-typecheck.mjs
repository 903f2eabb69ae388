#!/usr/bin/env node
// What type-checking an Api costs as it grows: generates an app of N chained endpoints and a
// typed-client use, runs `tsc --extendedDiagnostics --noEmit` (the repo's TypeScript) on it, and
// prints check time and instantiations. Uses packages/api/dist (run `npx tsc -b packages/api`
// first), which is what a user's compiler reads; `--source` reads the TypeScript sources instead.
//
//   node bench/api-typecheck.mjs                  # 10, 100 and 200 endpoints
//   node bench/api-typecheck.mjs --endpoints 200 --json
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The app: four endpoint shapes in turn (params + query, JSON body, params schema + body, 204). */
export function appSource(count) {
  const lines = [
    "import { z } from 'zod';",
    "import { Api } from '@portico/api';",
    "import { createClient } from '@portico/api/client';",
    'const Item = z.object({ id: z.number(), name: z.string(), tags: z.array(z.string()) });',
    'const NewItem = Item.omit({ id: true });',
    'const Page = z.object({ limit: z.number().int().default(10), q: z.string().optional() });',
    'export const api = new Api({ title: "Generated", version: "1" })',
  ];
  for (let i = 0; i < count; i++) {
    const r = `/r${i}`;
    switch (i % 4) {
      case 0:
        lines.push(`  .get('${r}/items/:id<int>', { query: Page, responses: { 200: Item } }, ({ params, query }) => ({ id: params.id, name: query.q ?? 'x', tags: [] }))`);
        break;
      case 1:
        lines.push(`  .post('${r}/items', { body: NewItem, status: 201, responses: { 201: Item } }, ({ body }) => ({ id: 1, ...body }))`);
        break;
      case 2:
        lines.push(`  .put('${r}/items/:id', { params: z.object({ id: z.number() }), body: NewItem }, ({ params, body }) => ({ id: params.id, ...body }))`);
        break;
      default:
        lines.push(`  .delete('${r}/items/:id<int>', { status: 204 }, () => undefined)`);
    }
  }
  lines.push(';');
  const last = (count - 1) - ((count - 1) % 4);
  lines.push(
    'const client = createClient<typeof api>("http://localhost:8000");',
    'export async function use(): Promise<string> {',
    `  const one = await client.get('/r${last}/items/:id<int>', { params: { id: 1 }, query: { limit: 5 } });`,
    "  const created = await client.post('/r1/items', { body: { name: 'n', tags: [] } });",
    "  await client.delete('/r3/items/:id<int>', { params: { id: 2 } });",
    "  return (one.status === 200 ? one.data.name : '') + (created.status === 201 ? created.data.id : '');",
    '}',
  );
  return `${lines.join('\n')}\n`;
}

function parse(output) {
  const figure = (name) => {
    const found = new RegExp(`^${name}:\\s+([\\d.]+)`, 'm').exec(output);
    return found ? Number(found[1]) : undefined;
  };
  return { checkTime: figure('Check time'), totalTime: figure('Total time'), instantiations: figure('Instantiations'), types: figure('Types'), memoryKiB: figure('Memory used') };
}

/** Type-check a generated app of `count` endpoints; the figures, and tsc's errors if any. */
export function measure(count, { source = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'portico-api-typecheck-'));
  try {
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'app.ts'), appSource(count));
    const compilerOptions = {
      target: 'ES2022',
      module: 'node16',
      moduleResolution: 'node16',
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
      lib: ['ES2023'],
    };
    if (source) {
      compilerOptions.paths = {
        '@portico/api': [join(root, 'packages/api/src/index.ts')],
        '@portico/api/client': [join(root, 'packages/api/src/client/index.ts')],
        '@portico/framework': [join(root, 'packages/framework/src/index.ts')],
        '@portico/protocol': [join(root, 'packages/protocol/src/index.ts')],
      };
    }
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['src'] }, null, 2));
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const run = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--extendedDiagnostics'], { encoding: 'utf8' });
    const errors = run.stdout.split('\n').filter((line) => /error TS\d+/.test(line));
    return { endpoints: count, ok: run.status === 0 && errors.length === 0, errors, ...parse(run.stdout) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--endpoints');
  const counts = at === -1 ? [10, 100, 200] : [Number(args[at + 1])];
  const source = args.includes('--source');
  const results = counts.map((count) => measure(count, { source }));
  if (args.includes('--json')) process.stdout.write(`${JSON.stringify(results)}\n`);
  else {
    console.log('endpoints  check time  total time  instantiations  types     memory');
    for (const r of results) {
      console.log(`${String(r.endpoints).padEnd(11)}${`${r.checkTime}s`.padEnd(12)}${`${r.totalTime}s`.padEnd(12)}${String(r.instantiations).padEnd(16)}${String(r.types).padEnd(10)}${r.memoryKiB}K${r.ok ? '' : `  ERRORS: ${r.errors.join(' | ')}`}`);
    }
  }
  process.exitCode = results.every((r) => r.ok) ? 0 : 1;
}
