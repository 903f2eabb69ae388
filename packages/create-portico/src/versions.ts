/** Ranges the generated project pins for its tools (a test keeps them in step with this repo's). */
export const TOOL_VERSIONS = {
  typescript: '~5.9.3',
  '@types/node': '^20.19.0',
  tsx: '^4.23.15',
  // `portico serve app.ts` compiles TypeScript through the project's own ts-node.
  'ts-node': '^10.9.2',
} as const;

/** The Node.js versions the generated project supports, as the Portico packages do. */
export const NODE_ENGINES = '>=20.18.1';
