import { parseArgs } from 'node:util';
import { CreateError } from './errors';

/** What the command line asked for; missing answers are asked for in a terminal. */
export interface CliOptions {
  readonly directory: string | undefined;
  readonly template: string | undefined;
  readonly tarballs: string | undefined;
  readonly force: boolean;
  readonly help: boolean;
}

export const USAGE = `Usage: create-portico [directory] [options]

Options:
  -t, --template <name>  minimal, api or chat (asked for in a terminal; minimal otherwise)
  -f, --force            write into a folder that is not empty (files with the same name are replaced)
      --tarballs <dir>   depend on the @portico/*.tgz files packed into <dir> (before they are on npm)
  -h, --help             show this help
`;

/** Parse `create-portico` arguments; a mistake is a `CreateError` that names it. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        template: { type: 'string', short: 't' },
        force: { type: 'boolean', short: 'f', default: false },
        tarballs: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new CreateError(`${(error as Error).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new CreateError(`Give one project folder, not ${positionals.length}: ${positionals.join(' ')}\n\n${USAGE}`);
  return { directory: positionals[0], template: values.template, tarballs: values.tarballs, force: values.force, help: values.help };
}
