/**
 * The pack-time copy of ReDoc: scripts/vendor-redoc.mjs (prepack) puts the standalone bundle
 * into vendor/redoc, and the docs then serve that copy before any installed redoc package.
 * The script writes into a temp folder here, so the working tree and parallel tests are untouched.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { findRedocBundle, VENDORED_REDOC } from '../src/docs';

const script = join(__dirname, '..', 'scripts', 'vendor-redoc.mjs');
const target = mkdtempSync(join(tmpdir(), 'portico-vendor-'));

describe('the vendored ReDoc bundle', () => {
  afterAll(() => rmSync(target, { recursive: true, force: true }));

  it('is copied from the redoc dev dependency with its licences and version', () => {
    execFileSync(process.execPath, [script, target], { stdio: 'pipe' });
    const installed = require.resolve('redoc/bundles/redoc.standalone.js');
    const { version } = JSON.parse(readFileSync(join(installed, '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(readFileSync(join(target, 'bundles', 'redoc.standalone.js')).equals(readFileSync(installed))).toBe(true);
    expect(readFileSync(join(target, 'LICENSE'), 'utf8')).toContain('MIT');
    expect(existsSync(join(target, 'bundles', 'redoc.standalone.js.LICENSE.txt'))).toBe(true);
    expect(JSON.parse(readFileSync(join(target, 'package.json'), 'utf8'))).toMatchObject({ name: 'redoc', version });
  });

  it('is found before the installed package, which is the fallback', () => {
    expect(findRedocBundle(undefined, target)).toMatchObject({ found: true, file: join(target, 'bundles', 'redoc.standalone.js') });
    expect(findRedocBundle(undefined, join(target, 'absent'))).toMatchObject({ found: true, file: require.resolve('redoc/bundles/redoc.standalone.js') });
  });

  it('goes to vendor/redoc when packing, which git ignores', () => {
    expect(VENDORED_REDOC).toBe(join(__dirname, '..', 'vendor', 'redoc'));
    const ignored = execFileSync('git', ['check-ignore', join(VENDORED_REDOC, 'bundles', 'redoc.standalone.js')], { encoding: 'utf8' });
    expect(ignored.trim()).not.toBe('');
  });
});
