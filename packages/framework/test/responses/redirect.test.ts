import { describe, expect, it } from '@jest/globals';
import { App, RedirectResponse, Route, TestClient } from '@portico/framework';

describe('RedirectResponse', () => {
  it('redirects with 307 by default and another status when asked', async () => {
    const app = new App({ routes: [new Route('/old', () => new RedirectResponse('/new')), new Route('/see', () => new RedirectResponse('/new', { status: 303 }))] });
    const client = new TestClient(app, { followRedirects: false });
    const temporary = await client.get('/old');
    expect([temporary.status, temporary.headers.get('location'), temporary.headers.get('content-length')]).toEqual([307, '/new', '0']);
    expect((await client.get('/see')).status).toBe(303);
  });

  it('percent-encodes what a Location may not hold, keeping escapes and structure', async () => {
    const app = new App({ routes: [new Route('/', () => new RedirectResponse('/ünï cödé?q=a b&x=%2F\r\nSet-Cookie: a=1'))] });
    const response = await new TestClient(app, { followRedirects: false }).get('/');
    expect(response.headers.get('location')).toBe('/%C3%BCn%C3%AF%20c%C3%B6d%C3%A9?q=a%20b&x=%2F%0D%0ASet-Cookie:%20a=1');
    expect(response.headers.has('set-cookie')).toBe(false);
  });
});
