import { describe, expect, it } from '@jest/globals';
import { App, JSONResponse, Route, TestClient } from '@portico/framework';

describe('lifespan', () => {
  it('gives the app to the lifespan, its state to requests, and runs the cleanup at shutdown', async () => {
    const events: string[] = [];
    const app: App = new App({
      lifespan: (started) => {
        events.push(`startup ${started === app}`);
        return { state: { db: 'connected' }, cleanup: () => void events.push('cleanup') };
      },
      routes: [new Route('/', (request) => new JSONResponse(request.state))],
    });
    const client = new TestClient(app);
    await client.start();
    expect((await client.get('/')).json()).toEqual({ db: 'connected' });
    await client.close();
    expect(events).toEqual(['startup true', 'cleanup']);
  });

  it('reports a startup error as lifespan.startup.failed with its message', async () => {
    const app = new App({
      lifespan: async () => {
        throw new Error('database unreachable');
      },
    });
    await expect(new TestClient(app).start()).rejects.toThrow('lifespan startup failed: Error: database unreachable');
  });

  it('reports a cleanup error as lifespan.shutdown.failed', async () => {
    const app = new App({ lifespan: () => ({ cleanup: () => Promise.reject(new Error('flush failed')) }) });
    const client = new TestClient(app);
    await client.start();
    await expect(client.close()).rejects.toThrow('lifespan shutdown failed: Error: flush failed');
  });

  it('completes startup and shutdown when the app has no lifespan', async () => {
    const client = new TestClient(new App());
    await client.start();
    await client.close();
  });
});
