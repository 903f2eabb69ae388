/** Lifespan modes auto / on / off, startup and shutdown outcomes, as a user of Server sees them. */
import { describe, expect, it } from '@jest/globals';
import type { App, LifespanSendEvent, Receive, Scope, Send } from '@portico/protocol';
import { respond } from '@portico/protocol/conformance';
import { LifespanShutdownError, LifespanStartupError, Server, type ServerOptions } from '@portico/server';
import { useServers } from './support/servers';

const start = useServers();

/** An app whose lifespan part is `lifespan`, and whose HTTP part answers 'ok'. */
function appWith(lifespan: (receive: () => Promise<{ type: string }>, send: (event: LifespanSendEvent) => Promise<void>) => Promise<void>): App {
  return async (scope, receive, send) => {
    if (scope.type === 'lifespan') return lifespan(receive, send);
    if (scope.type === 'http') await respond(send as Parameters<typeof respond>[0], 200, 'ok');
  };
}

const quietStart = (app: App, options: ServerOptions) => {
  const logs: string[] = [];
  const server = new Server(app, { port: 0, useColors: false, logStream: { write: (text: string) => logs.push(text) }, ...options });
  return { server, logs, started: server.start() };
};

describe("lifespan 'auto'", () => {
  it('serves an app that returns on the lifespan scope, without logging it as a problem', async () => {
    const { url, logs } = await start(appWith(async () => undefined));
    expect(await (await fetch(url)).text()).toBe('ok');
    expect(logs.filter((line) => /ERROR|WARNING|unsupported/.test(line))).toEqual([]);
  });

  it('logs "lifespan unsupported" at info when the app throws on the lifespan scope, and serves on', async () => {
    const { url, logs } = await start(
      appWith(async () => {
        throw new Error('no lifespan here');
      }),
    );
    expect(await (await fetch(url)).text()).toBe('ok');
    expect(logs).toContain('INFO:     Lifespan unsupported: the app threw on the lifespan scope (no lifespan here); serving without it.');
    expect(logs.filter((line) => line.startsWith('ERROR'))).toEqual([]);
  });

  it('takes an app that is a plain function: throwing on the lifespan scope is "unsupported", not a crash', async () => {
    const plain = ((scope: Scope, _receive: Receive, send: Send) => {
      if (scope.type === 'lifespan') throw new Error('only HTTP here');
      void respond(send as Parameters<typeof respond>[0], 200, 'ok');
    }) as unknown as App;
    const { url, logs } = await start(plain);
    expect(await (await fetch(url)).text()).toBe('ok');
    expect(logs).toContain('INFO:     Lifespan unsupported: the app threw on the lifespan scope (only HTTP here); serving without it.');
  });

  it('fails to start, with the app message, when startup reports failure; nothing is left listening', async () => {
    const { server, logs, started } = quietStart(
      appWith(async (receive, send) => {
        await receive();
        await send({ type: 'lifespan.startup.failed', message: 'database unreachable' });
      }),
      {},
    );
    await expect(started).rejects.toThrow(new LifespanStartupError('Application startup failed: database unreachable'));
    expect(logs.join('')).toContain('ERROR:    Application startup failed: database unreachable');
    expect(() => server.address).toThrow(/not listening/);
  });
});

describe("lifespan 'on'", () => {
  it("serves an app that returns on the lifespan scope, as uvicorn does (the server README's app.ts)", async () => {
    const app: App = async (scope, _receive, send) => {
      if (scope.type !== 'http') return; // no lifespan work
      const body = new TextEncoder().encode(`Hello from Portico! You asked for ${scope.path}\n`);
      await send({ type: 'http.response.start', status: 200, headers: [['content-type', 'text/plain; charset=utf-8']] });
      await send({ type: 'http.response.body', body });
    };
    const { url, logs } = await start(app, { lifespan: 'on' });
    expect(await (await fetch(`${url}/hi`)).text()).toBe('Hello from Portico! You asked for /hi\n');
    expect(logs).toContain("INFO:     The app returned on the lifespan scope without sending 'lifespan.startup.complete': it has no lifespan work; serving on.");
    expect(logs.filter((line) => /ERROR|WARNING/.test(line))).toEqual([]);
  });

  it('fails to start, logging the stack, when the app throws during startup', async () => {
    const { started, logs } = quietStart(
      appWith(async () => {
        throw new Error('config file missing');
      }),
      { lifespan: 'on' },
    );
    await expect(started).rejects.toThrow(/the app threw during lifespan startup: config file missing/);
    expect(logs.join('')).toMatch(/ERROR: +Exception in 'lifespan' protocol\nError: config file missing\n +at /);
  });
});

describe("lifespan 'off'", () => {
  it('never calls the app with the lifespan scope', async () => {
    const scopes: string[] = [];
    const app: App = async (scope, _receive, send) => {
      scopes.push(scope.type);
      if (scope.type === 'http') await respond(send as Parameters<typeof respond>[0], 200, 'ok');
    };
    const { url } = await start(app, { lifespan: 'off' });
    await fetch(url);
    expect(scopes).toEqual(['http']);
  });
});

describe('shutdown', () => {
  it('rejects close() with the app message when shutdown fails, and the server is stopped anyway', async () => {
    const { server } = await start(
      appWith(async (receive, send) => {
        await receive();
        await send({ type: 'lifespan.startup.complete' });
        await receive();
        await send({ type: 'lifespan.shutdown.failed', message: 'could not flush the queue' });
      }),
    );
    await expect(server.close()).rejects.toThrow(new LifespanShutdownError('Application shutdown failed: could not flush the queue'));
    await server.closed;
  });
});
