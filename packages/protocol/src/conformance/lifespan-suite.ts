import { expect, it } from '@jest/globals';
import { channels } from '../channels';
import { guard } from '../guard';
import type { App } from '../types';
import { readBody, respondJson, text } from './apps';
import type { StartHost } from './types';

/** Lifespan and host settings: each test starts a host of its own. */
export function lifespanConformance(startHost: StartHost): void {
  it('runs lifespan startup before serving and shares a shallow copy of its state', async () => {
    const events: string[] = [];
    const app: App = async (scope, receive, send) => {
      if (scope.type === 'lifespan') {
        events.push((await receive()).type);
        scope.state['greeting'] = 'hello from startup';
        await send({ type: 'lifespan.startup.complete' });
        events.push((await receive()).type);
        await send({ type: 'lifespan.shutdown.complete' });
        return;
      }
      if (scope.type !== 'http') return;
      const { receive: httpReceive, send: httpSend } = channels(scope, receive, send);
      await readBody(httpReceive);
      const greeting = scope.state['greeting'];
      const leaked = scope.state['written by a request'];
      scope.state['written by a request'] = true;
      await respondJson(httpSend, { greeting, leaked: leaked ?? false });
    };
    const host = await startHost(guard(app), {});
    try {
      expect(events).toEqual(['lifespan.startup']);
      const first = JSON.parse(text((await host.request({ method: 'GET', target: '/' })).body)) as unknown;
      const second = JSON.parse(text((await host.request({ method: 'GET', target: '/' })).body)) as unknown;
      expect(first).toEqual({ greeting: 'hello from startup', leaked: false });
      expect(second).toEqual(first);
    } finally {
      await host.close();
    }
    expect(events).toEqual(['lifespan.startup', 'lifespan.shutdown']);
  });

  it('fails to start with the app message when startup fails', async () => {
    const app: App = async (scope, receive, send) => {
      if (scope.type !== 'lifespan') throw new Error('no request may be served');
      await receive();
      await send({ type: 'lifespan.startup.failed', message: 'database unreachable' });
    };
    await expect(startHost(guard(app), {})).rejects.toThrow(/database unreachable/);
  });

  it('serves apps that do not support lifespan (they throw on the lifespan scope)', async () => {
    const app: App = async (scope, receive, send) => {
      if (scope.type !== 'http') throw new Error(`unsupported scope ${scope.type}`);
      const http = channels(scope, receive, send);
      await readBody(http.receive);
      await respondJson(http.send, { ok: true });
    };
    const host = await startHost(app, {});
    try {
      expect(JSON.parse(text((await host.request({ method: 'GET', target: '/' })).body))).toEqual({ ok: true });
    } finally {
      await host.close();
    }
  });

  it('puts the rootPath setting in scope.rootPath and leaves path without it', async () => {
    const app: App = async (scope, receive, send) => {
      if (scope.type !== 'http') throw new Error('lifespan unsupported');
      const http = channels(scope, receive, send);
      await readBody(http.receive);
      await respondJson(http.send, { rootPath: scope.rootPath, path: scope.path });
    };
    const host = await startHost(guard(app), { rootPath: '/api' });
    try {
      const response = await host.request({ method: 'GET', target: '/items/7' });
      expect(JSON.parse(text(response.body))).toEqual({ rootPath: '/api', path: '/items/7' });
    } finally {
      await host.close();
    }
  });
}
