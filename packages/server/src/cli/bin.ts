#!/usr/bin/env node
/** The `portico` executable (the package's bin shim loads the compiled copy of this file). */
import { main } from './main';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`portico crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
