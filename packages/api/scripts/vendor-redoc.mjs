// Run by `npm pack` (prepack): copies ReDoc's standalone bundle and its licences from the redoc
// dev dependency into vendor/redoc, laid out as the redoc package is, so the published package
// serves /redoc offline without depending on redoc (110 packages, 85 MB) at run time.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
// A folder given on the command line is for tests; packing uses vendor/redoc.
const target = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'vendor', 'redoc');

let source;
try {
  source = dirname(require.resolve('redoc/package.json'));
} catch {
  console.error('vendor-redoc: the redoc dev dependency is not installed; run `npm install` in the repository before packing @portico/api');
  process.exit(1);
}

const { version, license, homepage } = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'));
rmSync(join(target, 'bundles'), { recursive: true, force: true });
mkdirSync(join(target, 'bundles'), { recursive: true });
for (const file of ['LICENSE', 'bundles/redoc.standalone.js', 'bundles/redoc.standalone.js.LICENSE.txt']) {
  copyFileSync(join(source, file), join(target, file));
}
// Only what the docs read: the version names the bundle's URL (cached as immutable).
writeFileSync(join(target, 'package.json'), `${JSON.stringify({ name: 'redoc', version, license, homepage, description: 'ReDoc standalone bundle, vendored by @portico/api at pack time' }, null, 2)}\n`);
console.log(`vendor-redoc: redoc ${version} copied to ${target}`);
