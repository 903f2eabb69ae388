/** A host written only from `@portico/server/host-kit` passes the conformance suite; it is the README's. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import { describeHostConformance } from '@portico/protocol/conformance';
import { createLifespan, Logger, resolveConfig } from '@portico/server';
import { MemoryHost } from './fixtures/memory-host';

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
      request: async ({ method, target, headers = [], body = [] }) => {
        const response = await host.request({ method, target, headers, body });
        return { status: response.status, headers: response.headers, body: Buffer.concat(response.body), trailers: [] };
      },
      close: async () => {
        await host.close(1000);
        await lifespan.shutdown();
      },
    };
  },
  { disconnect: false, addresses: false, pathsend: true },
);
