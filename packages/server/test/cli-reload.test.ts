/** `--reload-dir`, `--reload-include`, `--reload-exclude`: what the reloader watches. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import { appSource, usePortico, useProjects } from './support/cli';

const portico = usePortico();
const project = useProjects();

/** Longer than the reloader's debounce: a change it watched would have been reported by then. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 400));

it('--reload-dir replaces the app folder; --reload-include adds file types', async () => {
  const dir = project({ 'src/app.mjs': appSource('v1'), 'templates/page.html': '<p>1</p>', 'templates/notes.md': '# 1' });
  const cli = portico(['serve', 'src/app.mjs', '--reload', '--reload-dir', 'templates', '--reload-include', '*.html', '--port', '0'], { cwd: dir });
  await cli.waitFor(new RegExp(`Started reloader process \\[\\d+\\] watching ${join(dir, 'templates')}\\n`));
  await cli.origin();
  writeFileSync(join(dir, 'src', 'app.mjs'), appSource('v2')); // not under a --reload-dir
  writeFileSync(join(dir, 'templates', 'notes.md'), '# 2'); // not included
  await settle();
  writeFileSync(join(dir, 'templates', 'page.html'), '<p>2</p>');
  await cli.waitFor(/Detected changes in page\.html\. Reloading\.\.\./);
  expect(cli.output().match(/Detected changes/g)).toHaveLength(1);
});

it('--reload-exclude leaves out files and folders by glob', async () => {
  const dir = project({ 'app.mjs': appSource('v1'), 'app.test.mjs': '', 'generated/types.js': '' });
  const cli = portico(['serve', 'app.mjs', '--reload', '--reload-exclude', '*.test.mjs', '--reload-exclude', 'generated', '--port', '0'], { cwd: dir });
  await cli.origin();
  writeFileSync(join(dir, 'app.test.mjs'), '// edited');
  writeFileSync(join(dir, 'generated', 'types.js'), '// edited');
  mkdirSync(join(dir, 'generated', 'more'));
  writeFileSync(join(dir, 'generated', 'more', 'x.js'), '// new');
  await settle();
  const mark = cli.output().length;
  writeFileSync(join(dir, 'app.mjs'), appSource('v2'));
  await cli.waitFor(/Detected changes in app\.mjs\. Reloading\.\.\./);
  expect(cli.output().match(/Detected changes/g)).toHaveLength(1);
  expect(await (await fetch(await cli.origin(mark))).text()).toBe('v2');
});
