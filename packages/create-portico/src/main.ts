import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseCliArgs, USAGE } from './args';
import { porticoDependencies } from './dependencies';
import { CreateError } from './errors';
import { ask, askTemplate, type PromptStreams } from './prompt';
import { scaffold } from './scaffold';
import { TEMPLATES, type Template } from './templates';

/** Where the command runs: its streams and folder. */
export interface CreateIo {
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly cwd: string;
}

const PACKAGE_ROOT = join(__dirname, '..');

/** This package's version, which is the version of every Portico package it was released with. */
export function porticoVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** True when running from a Portico clone (packages/create-portico beside packages/protocol). */
function inClone(): boolean {
  return !PACKAGE_ROOT.split(/[\\/]/).includes('node_modules') && existsSync(join(PACKAGE_ROOT, '..', 'protocol', 'package.json'));
}

function pickTemplate(name: string): Template {
  const template = TEMPLATES.find((candidate) => candidate.name === name);
  if (template === undefined) throw new CreateError(`There is no template '${name}': pick one of ${TEMPLATES.map((candidate) => candidate.name).join(', ')}.`);
  return template;
}

function nextSteps(io: CreateIo, directory: string, template: Template, tarballs: boolean): string {
  const relativePath = relative(io.cwd, directory);
  const where = relativePath.length <= directory.length ? relativePath : directory;
  const lines = [`Created ${where || '.'} from the ${template.name} template.`, '', 'Next:'];
  if (where !== '') lines.push(`  cd ${where.includes(' ') ? JSON.stringify(where) : where}`);
  lines.push('  npm install', '  npm start      # http://127.0.0.1:8000', '  npm test', '');
  if (!tarballs && inClone()) {
    lines.push('The @portico packages are not on npm yet: to install them from this clone, pack them and', "pass --tarballs <dir> (see 'Start a new project' in the Portico README).", '');
  }
  return lines.join('\n');
}

/** Run `create-portico` with `argv`; resolves with the exit code. */
export async function main(argv: readonly string[], io: CreateIo): Promise<number> {
  try {
    const options = parseCliArgs(argv);
    if (options.help) {
      io.stdout.write(USAGE);
      return 0;
    }
    const streams: PromptStreams = { input: io.stdin, output: io.stdout };
    const interactive = io.stdin.isTTY === true;
    const folder = options.directory ?? (interactive ? await ask(streams, 'Project folder?', 'my-portico-app') : undefined);
    if (folder === undefined) throw new CreateError(`Name the project folder: create-portico my-app\n\n${USAGE}`);
    const template = options.template !== undefined ? pickTemplate(options.template) : interactive ? pickTemplate((await askTemplate(streams)).name) : pickTemplate('minimal');
    const directory = resolve(io.cwd, folder);
    const tarballs = options.tarballs === undefined ? undefined : resolve(io.cwd, options.tarballs);
    const portico = porticoDependencies(template, porticoVersion(), directory, tarballs);
    scaffold({ directory, template, portico, force: options.force });
    io.stdout.write(nextSteps(io, directory, template, tarballs !== undefined));
    return 0;
  } catch (error) {
    if (!(error instanceof CreateError)) throw error;
    io.stderr.write(`create-portico: ${error.message}\n`);
    return 1;
  }
}
