import { describe, expect, it } from '@jest/globals';
import type { App as GatewayApp } from '@portico/protocol';
import { App, JSONResponse, Mount, PlainTextResponse, Route, TestClient } from '@portico/framework';

const where = new Route('/where', (request) => new JSONResponse({ rootPath: request.scope.rootPath, path: request.scope.path, url: request.url.href, params: request.pathParams }), { name: 'where' });

describe('Mount', () => {
  it('moves the matched prefix from path to rootPath and keeps its parameters', async () => {
    const app = new App({ routes: [new Mount('/orgs/:org', [where], { name: 'orgs' })] });
    const body = (await new TestClient(app).get('/orgs/acme/where?x=1')).json();
    expect(body).toEqual({ rootPath: '/orgs/acme', path: '/where', url: 'http://testserver/orgs/acme/where?x=1', params: { org: 'acme' } });
  });

  it('serves any protocol app under the prefix', async () => {
    const raw: GatewayApp = async (scope, _receive, send) => {
      if (scope.type !== 'http') return;
      const body = Buffer.from(`raw app saw ${scope.rootPath} + ${scope.path}`);
      await send({ type: 'http.response.start', status: 200, headers: [['content-length', String(body.length)]] });
      await send({ type: 'http.response.body', body });
    };
    const app = new App({ routes: [new Mount('/legacy', raw)] });
    expect((await new TestClient(app).get('/legacy/a/b')).text).toBe('raw app saw /legacy + /a/b');
  });

  it('sends the bare prefix to the prefix with a slash', async () => {
    const app = new App({ routes: [new Mount('/docs', [new Route('/', () => new PlainTextResponse('docs index'))])] });
    const client = new TestClient(app, { followRedirects: false });
    const redirect = await client.get('/docs');
    expect([redirect.status, redirect.headers.get('location')]).toEqual([307, 'http://testserver/docs/']);
    expect((await client.get('/docs/')).text).toBe('docs index');
  });

  it('nests: apps in mounts in apps, each seeing its own root', async () => {
    const inner = new App({ routes: [where] });
    const app = new App({ routes: [new Mount('/v1', [new Mount('/inner', inner)])] });
    const body = (await new TestClient(app).get('/v1/inner/where')).json();
    expect(body).toMatchObject({ rootPath: '/v1/inner', path: '/where' });
  });

  it('reverses names through named mounts, and reaches the mount itself with `path`', () => {
    const app = new App({
      routes: [
        new Mount('/orgs/:org', [new Mount('/projects', [new Route('/:id<int>', () => new PlainTextResponse(''), { name: 'project' })], { name: 'projects' })], { name: 'orgs' }),
        new Mount('/static', new App(), { name: 'static' }),
      ],
    });
    expect(app.urlPathFor('orgs:projects:project', { org: 'acme', id: 3 })).toBe('/orgs/acme/projects/3');
    expect(app.urlPathFor('static', { path: 'css/site.css' })).toBe('/static/css/site.css');
    expect(() => app.urlPathFor('orgs:projects:project', { id: 3 })).toThrow(/mount '\/orgs\/:org': Missing parameters: org/);
    expect(() => app.urlPathFor('projects:project', { org: 'a', id: 3 })).toThrow(/no route named 'projects:project'/);
  });

  it('gives request.urlFor absolute URLs from inside a mounted route', async () => {
    const app = new App({
      routes: [
        new Mount('/api', [new Route('/notes/:id<int>', (request) => new PlainTextResponse(request.urlFor('api:note', { id: 9 }).href), { name: 'note' })], { name: 'api' }),
      ],
    });
    expect((await new TestClient(app, { baseUrl: 'https://notes.example:8443' }).get('/api/notes/1')).text).toBe('https://notes.example:8443/api/notes/9');
  });
});
