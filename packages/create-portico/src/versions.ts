/** Ranges the generated project pins for its tools (a test keeps them in step with this repo's). */
export const TOOL_VERSIONS = {
  typescript: '~5.9.3',
  '@types/node': '^20.19.0',
  // Runs the TypeScript tests (node --import tsx --test); @portico/server brings it too, for serve.
  tsx: '^4.23.15',
} as const;

/** The Node.js versions the generated project supports, as the Portico packages do. */
export const NODE_ENGINES = '>=20.18.1';

/** Libraries a template imports itself, at the ranges the Portico packages depend on (a test keeps them in step). */
export const LIBRARY_VERSIONS = {
  zod: '^4.6.7',
} as const;

export type Library = keyof typeof LIBRARY_VERSIONS;
