import { describe, expect, it } from '@jest/globals';
import { App, JSONResponse, Route, TestClient } from '@portico/framework';

describe('JSONResponse', () => {
  it('serialises values as application/json', async () => {
    const app = new App({ routes: [new Route('/', () => new JSONResponse({ name: 'é', list: [1, null] }, { status: 201 })), new Route('/none', () => new JSONResponse(undefined))] });
    const client = new TestClient(app);
    const response = await client.get('/');
    expect([response.status, response.json(), response.headers.get('content-type'), response.headers.get('content-length')]).toEqual([201, { name: 'é', list: [1, null] }, 'application/json', '29']);
    expect((await client.get('/none')).text).toBe('null');
  });

  it('fails when built from a value JSON cannot carry', () => {
    expect(() => new JSONResponse({ big: 1n })).toThrow(TypeError);
  });
});
