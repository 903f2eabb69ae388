// @ts-check
/**
 * The contenders: how to start each one and how to tell whether it is installed. A
 * contender that is not installed is reported as skipped with the reason, never as zero.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * @typedef {{
 *   name: string,
 *   title: string,
 *   command: readonly string[],
 *   router: boolean,
 *   missing: () => Promise<string | null>,
 * }} Contender
 * `router` is false for the contenders without a router (routing scale does not apply);
 * `missing` answers why the contender cannot run here, or null when it can.
 */

/** Debian's interpreter: the pyenv `python3` first on PATH cannot see Debian's packages. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/** @param {string} file */
function contenderFile(file) {
  return fileURLToPath(new URL(`../contenders/${file}`, import.meta.url));
}

/** @param {string} file @param {string[]} args */
function node(file, ...args) {
  return [process.execPath, contenderFile(file), ...args];
}

/** @param {string} file */
function python(file) {
  return [SYSTEM_PYTHON, contenderFile(file)];
}

/** @param {string[]} packages */
function npmPackages(...packages) {
  return async () => {
    for (const name of packages) {
      try {
        import.meta.resolve(name);
      } catch {
        return `${name} is not installed (npm install in the repo root)`;
      }
    }
    return null;
  };
}

/** @param {string[]} modules */
function pythonModules(...modules) {
  return async () => {
    if (!existsSync(SYSTEM_PYTHON)) return `${SYSTEM_PYTHON} is not there`;
    const probe = spawnSync(SYSTEM_PYTHON, ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8' });
    if (probe.status === 0) return null;
    const debian = modules.map((module) => `python3-${module}`).join(' ');
    return `${SYSTEM_PYTHON} cannot import ${modules.join(', ')} (apt-get install ${debian})`;
  };
}

/**
 * Portico contenders run from the built `dist`, so they need `npm run build` first and the
 * exports they use to exist (zod, which the Api contenders import, is checked the same way).
 *
 * @param {Record<string, string[]>} exportsByPackage
 */
function porticoExports(exportsByPackage) {
  return async () => {
    for (const [name, names] of Object.entries(exportsByPackage)) {
      /** @type {Record<string, unknown>} */
      let loaded;
      try {
        loaded = await import(name);
      } catch {
        return name.startsWith('@portico/') ? `${name} is not built (npm run build)` : `${name} is not installed (npm install in the repo root)`;
      }
      const absent = names.filter((exported) => loaded[exported] === undefined);
      if (absent.length > 0) return `${name} does not export ${absent.join(', ')} yet`;
    }
    return null;
  };
}

/** @type {readonly Contender[]} In table order; the first is the baseline the ratios divide by. */
export const CONTENDERS = [
  { name: 'node-http', title: 'raw node:http', command: node('node-http.mjs'), router: false, missing: async () => null },
  { name: 'fastify', title: 'fastify', command: node('fastify.mjs'), router: true, missing: npmPackages('fastify') },
  {
    name: 'hono',
    title: 'hono on @hono/node-server',
    command: node('hono.mjs'),
    router: true,
    missing: npmPackages('hono', '@hono/node-server'),
  },
  { name: 'express', title: 'express', command: node('express.mjs'), router: true, missing: npmPackages('express') },
  {
    name: 'portico-protocol',
    title: 'Portico protocol app on the Portico server',
    command: node('portico-protocol.mjs'),
    router: false,
    missing: porticoExports({ '@portico/server': ['serve'] }),
  },
  {
    name: 'portico-framework',
    title: 'Portico framework App on the Portico server',
    command: node('portico-framework.mjs'),
    router: true,
    missing: porticoExports({
      '@portico/server': ['serve'],
      '@portico/framework': ['App', 'PlainTextResponse', 'JSONResponse', 'StreamingResponse'],
    }),
  },
  {
    name: 'portico-protocol-h1',
    title: "Portico protocol app on the Portico server's own HTTP/1.1 (http1: 'portico')",
    command: node('portico-protocol.mjs', 'portico'),
    router: false,
    missing: porticoExports({ '@portico/server': ['serve'] }),
  },
  {
    name: 'portico-framework-h1',
    title: "Portico framework App on the Portico server's own HTTP/1.1 (http1: 'portico')",
    command: node('portico-framework.mjs', 'portico'),
    router: true,
    missing: porticoExports({
      '@portico/server': ['serve'],
      '@portico/framework': ['App', 'PlainTextResponse', 'JSONResponse', 'StreamingResponse'],
    }),
  },
  ...['strict', 'off'].map((mode) => ({
    name: `portico-api-${mode}`,
    title: `Portico Api (responseValidation: '${mode}') on the Portico server`,
    command: node('portico-api.mjs', mode),
    router: true,
    missing: porticoExports({
      '@portico/server': ['serve'],
      '@portico/framework': ['PlainTextResponse', 'StreamingResponse'],
      '@portico/api': ['Api'],
      zod: ['z'],
    }),
  })),
  {
    name: 'uvicorn-asgi',
    title: 'bare ASGI app on Uvicorn',
    command: python('uvicorn_asgi.py'),
    router: false,
    missing: pythonModules('uvicorn', 'httptools', 'uvloop'),
  },
  {
    name: 'uvicorn-starlette',
    title: 'Starlette on Uvicorn',
    command: python('uvicorn_starlette.py'),
    router: true,
    missing: pythonModules('uvicorn', 'httptools', 'uvloop', 'starlette'),
  },
];

/**
 * The Node contender called `name`, for the tools that run it under an instrument of Node's or
 * valgrind's (profile.mjs, instructions.mjs); throws for an unknown or a Python contender.
 *
 * @param {string} name
 * @returns {Contender}
 */
export function nodeContender(name) {
  const contender = CONTENDERS.find((entry) => entry.name === name);
  if (contender === undefined) throw new Error(`unknown contender '${name}' (see npm run bench -- --list)`);
  if (contender.command[0] !== process.execPath) throw new Error(`${name} is not a Node contender: the instrument does not apply`);
  return contender;
}

/** The contender every ratio is taken against. */
export const BASELINE = 'node-http';
