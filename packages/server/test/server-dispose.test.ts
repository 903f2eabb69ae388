import { describe, expect, it } from '@jest/globals';
import { Server } from '@portico/server';
import { httpApp } from './support/servers';

const hello = httpApp(async (_scope, _receive, send) => {
  await send({ type: 'http.response.start', status: 200, headers: [] });
  await send({ type: 'http.response.body', body: new TextEncoder().encode('hi') });
});

describe('Server as an AsyncDisposable', () => {
  it('closes gracefully when an `await using` block ends', async () => {
    let url = '';
    {
      await using server = new Server(hello, { port: 0, logLevel: 'warning' });
      await server.start();
      url = server.url;
      expect(await (await fetch(url)).text()).toBe('hi');
    }
    await expect(fetch(url)).rejects.toThrow();
  });
});
