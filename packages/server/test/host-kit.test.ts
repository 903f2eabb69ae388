/** A host written only from `@portico/server/host-kit` passes the conformance suite; it is the README's. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import { describeHostConformance, IncompleteResponseError, type ConformanceResponse } from '@portico/protocol/conformance';
import { createLifespan, Logger, resolveConfig } from '@portico/server';
import { CutResponseError, MemoryHost, type MemoryResponse } from './fixtures/memory-host';

const conformance = (response: MemoryResponse): ConformanceResponse => ({ status: response.status, headers: response.headers, body: Buffer.concat(response.body), trailers: [] });

it("is the code of the README's 'Write your own host'", () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const block = /<!-- doctest: file memory-host\.ts -->\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBe(readFileSync(join(__dirname, 'fixtures', 'memory-host.ts'), 'utf8'));
});

describeHostConformance(
  'in-memory host (README)',
  async (app, options) => {
    const config = resolveConfig({ ...options, logLevel: 'critical' });
    const logger = new Logger(config.logLevel, process.stderr, false);
    const lifespan = createLifespan(app, config.lifespan, logger);
    await lifespan.startup();
    const host = new MemoryHost({ app, config, logger, state: lifespan.state, onRequestLimit: () => undefined });
    await host.listen();
    return {
      request: ({ method, target, headers = [], body = [] }) =>
        host.request({ method, target, headers, body }).then(conformance, (error: unknown) => {
          throw error instanceof CutResponseError ? new IncompleteResponseError(conformance(error.response), error.message) : error;
        }),
      close: async () => {
        await host.close(1000);
        await lifespan.shutdown();
      },
    };
  },
  { disconnect: false, addresses: false, pathsend: true },
);
