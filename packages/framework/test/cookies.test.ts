import { describe, expect, it } from '@jest/globals';
import { App, CookieError, JSONResponse, PlainTextResponse, Route, TestClient, parseCookies, setCookieHeader } from '@portico/framework';

describe('cookies', () => {
  it('encodes values so a semicolon or CRLF cannot end the cookie or split the header', () => {
    expect(setCookieHeader('session', 'a;b\r\nSet-Cookie: admin=1')).toBe('session=a%3Bb%0D%0ASet-Cookie%3A%20admin%3D1; Path=/; SameSite=Lax');
  });

  it('writes every attribute', () => {
    const header = setCookieHeader('id', '1', { maxAge: 60, expires: new Date(0), path: '/app', domain: 'example.com', secure: true, httpOnly: true, sameSite: 'none', partitioned: true });
    expect(header).toBe('id=1; Max-Age=60; Domain=example.com; Path=/app; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; Partitioned; SameSite=None');
  });

  it('refuses names and attributes that would break the header, naming the cookie', () => {
    expect(() => setCookieHeader('bad name', 'x')).toThrow(CookieError);
    expect(() => setCookieHeader('bad;name', 'x')).toThrow(/cannot set cookie 'bad;name': name is invalid/);
    expect(() => setCookieHeader('p', 'x', { path: '/a;b' })).toThrow(/path is invalid/);
    expect(() => setCookieHeader('n', 'x', { sameSite: 'none' })).toThrow(/needs secure: true/);
  });

  it('parses Cookie headers, joining several and keeping the first of a repeated name', () => {
    expect(parseCookies(['a=1; b=x%20y', 'a=2; __proto__=p'])).toEqual({ a: '1', b: 'x y', ['__proto__']: 'p' });
  });

  it('round-trips through responses, the client jar and request.cookies', async () => {
    const app = new App({
      routes: [
        new Route('/login', () => new PlainTextResponse('in').setCookie('session', 'tok;en', { httpOnly: true })),
        new Route('/me', (request) => new JSONResponse(request.cookies)),
        new Route('/logout', () => new PlainTextResponse('out').deleteCookie('session')),
      ],
    });
    const client = new TestClient(app);
    const login = await client.get('/login');
    expect(login.headers.getAll('set-cookie')).toEqual(['session=tok%3Ben; Path=/; HttpOnly; SameSite=Lax']);
    expect((await client.get('/me')).json()).toEqual({ session: 'tok;en' });
    await client.get('/logout');
    expect((await client.get('/me')).json()).toEqual({});
  });
});
