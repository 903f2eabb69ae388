import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { App, Mount, TestClient, type TestResponse } from '@portico/framework';
import { DEFAULT_DOCS_CSP, docsRoutes, findRedocBundle, openApiRoute, swaggerUiFolder } from '../src/docs';
import { buildOpenApiDocument } from '../src/openapi';
import { endpoints, info } from './support/openapi-fixture';

const openapi = (): ReturnType<typeof openApiRoute> => openApiRoute('/openapi.json', () => buildOpenApiDocument(info, endpoints));
const app = (): App => new App({ routes: [openapi(), ...docsRoutes({ title: 'Shop', openapiUrl: '/openapi.json' })] });
const version = swaggerUiFolder().version;

/** The `src`/`href` URLs a page loads, and its JSON config block. */
function links(page: TestResponse): { urls: string[]; config: Record<string, unknown> | undefined } {
  const urls = [...page.text.matchAll(/(?:src|href|spec-url)="([^"]+)"/g)].map((match) => match[1]!.replace(/&#38;/g, '&'));
  const block = /<script id="swagger-ui-config" type="application\/json">(.*?)<\/script>/s.exec(page.text)?.[1];
  return { urls, config: block === undefined ? undefined : (JSON.parse(block) as Record<string, unknown>) };
}

describe('docs routes', () => {
  it('serves Swagger UI pointing at the document, with no inline script', async () => {
    const client = new TestClient(app());
    const page = await client.get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(DEFAULT_DOCS_CSP);
    expect(page.text).toContain('<title>Shop - Swagger UI</title>');
    const { urls, config } = links(page);
    expect(urls).toEqual([
      `/docs/assets/swagger-ui-${version}/swagger-ui.css`,
      `/docs/assets/swagger-ui-${version}/favicon-32x32.png`,
      `/docs/assets/swagger-ui-${version}/swagger-ui-bundle.js`,
      expect.stringMatching(/^\/docs\/assets\/portico-swagger-init-[0-9a-f]{12}\.js$/),
    ]);
    expect(config).toMatchObject({ url: '/openapi.json', oauth2RedirectUrl: '/docs/oauth2-redirect', validatorUrl: null, layout: 'BaseLayout' });
    // Every <script> either loads a file or is the JSON data block.
    expect([...page.text.matchAll(/<script([^>]*)>/g)].map((match) => match[1])).toEqual([' id="swagger-ui-config" type="application/json"', expect.stringMatching(/^ src=/), expect.stringMatching(/^ src=/)]);
  });

  it('serves every file the pages load, with types and long caching', async () => {
    const client = new TestClient(app());
    const { urls } = links(await client.get('/docs'));
    const types = await Promise.all(urls.map(async (url) => {
      const response = await client.get(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      return response.headers.get('content-type');
    }));
    expect(types).toEqual(['text/css; charset=utf-8', 'image/png', 'text/javascript; charset=utf-8', 'text/javascript; charset=utf-8']);
    const bundle = await client.get(urls[2]!);
    expect(bundle.body.byteLength).toBe(readFileSync(`${swaggerUiFolder().directory}/swagger-ui-bundle.js`).byteLength);
    const init = await client.get(urls[3]!);
    expect(init.text).toContain("document.getElementById('swagger-ui-config')");
  });

  it('answers conditional requests for files with 304', async () => {
    const client = new TestClient(app());
    const css = await client.get(`/docs/assets/swagger-ui-${version}/swagger-ui.css`);
    const again = await client.get(`/docs/assets/swagger-ui-${version}/swagger-ui.css`, { headers: { 'if-none-match': css.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('serves only the listed files of swagger-ui-dist', async () => {
    const client = new TestClient(app());
    for (const name of ['package.json', 'index.html', 'swagger-initializer.js', '..%2Fpackage.json']) {
      expect((await client.get(`/docs/assets/swagger-ui-${version}/${name}`)).status).toBe(404);
    }
  });

  it('serves the OAuth2 redirect page, its script a file too', async () => {
    const client = new TestClient(app());
    const page = await client.get('/docs/oauth2-redirect');
    expect(page.status).toBe(200);
    expect(links(page).urls).toEqual([`/docs/assets/swagger-ui-${version}/oauth2-redirect.js`]);
    expect((await client.get(links(page).urls[0]!)).status).toBe(200);
  });

  it('serves ReDoc with its bundle', async () => {
    const client = new TestClient(app());
    const page = await client.get('/redoc');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>Shop - ReDoc</title>');
    const bundle = findRedocBundle();
    expect(bundle.found).toBe(true);
    const redocVersion = bundle.found ? bundle.version : '';
    expect(links(page).urls).toEqual([`/docs/assets/swagger-ui-${version}/favicon-32x32.png`, '/openapi.json', `/redoc/assets/redoc-${redocVersion}/redoc.standalone.js`]);
    const script = await client.get(links(page).urls[2]!);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.text).toContain('spec-url');
  });

  it('explains how to get ReDoc when its bundle is missing', async () => {
    const client = new TestClient(new App({ routes: docsRoutes({ title: 'Shop', openapiUrl: '/openapi.json', redocBundle: '/nowhere/redoc.standalone.js' }) }));
    const page = await client.get('/redoc');
    expect(page.status).toBe(503);
    expect(page.text).toContain('ReDoc is not installed');
    expect(page.text).toContain('npm install --save-dev redoc');
    expect(page.text).toContain('<code>/nowhere/redoc.standalone.js</code>');
    expect(page.text).toContain('<a href="/docs">Swagger UI</a>');
  });

  it('serves the document as JSON, built once', async () => {
    let builds = 0;
    const client = new TestClient(new App({ routes: [openApiRoute('/openapi.json', () => ({ built: ++builds }))] }));
    expect((await client.get('/openapi.json')).json()).toEqual({ built: 1 });
    const again = await client.get('/openapi.json');
    expect(again.json()).toEqual({ built: 1 });
    expect(again.headers.get('content-type')).toBe('application/json');
  });

  it('keeps every link working when mounted under a prefix', async () => {
    const client = new TestClient(new App({ routes: [new Mount('/shop/v1', app())] }));
    const page = await client.get('/shop/v1/docs');
    const { urls, config } = links(page);
    expect(config).toMatchObject({ url: '/shop/v1/openapi.json', oauth2RedirectUrl: '/shop/v1/docs/oauth2-redirect' });
    for (const url of [...urls, '/shop/v1/openapi.json', ...links(await client.get('/shop/v1/redoc')).urls]) {
      expect(url.startsWith('/shop/v1/')).toBe(true);
      expect((await client.get(url)).status).toBe(200);
    }
    expect((await client.get('/shop/v1/openapi.json')).json()).toMatchObject({ info: { title: 'Shop' } });
  });

  it('honours the rootPath a proxy in front set', async () => {
    const client = new TestClient(app(), { rootPath: '/api' });
    expect(links(await client.get('/docs')).config).toMatchObject({ url: '/api/openapi.json' });
  });

  it('takes other URLs, switches pages off, and merges Swagger UI settings', async () => {
    const routes = docsRoutes({
      title: 'T',
      openapiUrl: '/spec.json',
      docsUrl: '/api-docs',
      redocUrl: null,
      swaggerUiParameters: { docExpansion: 'none', deepLinking: false },
      swaggerUiInitOAuth: { clientId: 'docs' },
      contentSecurityPolicy: false,
    });
    const client = new TestClient(new App({ routes }));
    const page = await client.get('/api-docs');
    expect(page.headers.get('content-security-policy')).toBeUndefined();
    expect(links(page).config).toMatchObject({ url: '/spec.json', docExpansion: 'none', deepLinking: false, initOAuth: { clientId: 'docs' } });
    expect((await client.get('/redoc')).status).toBe(404);
    expect((await client.get('/docs')).status).toBe(404);
  });

  it('escapes the title', async () => {
    const client = new TestClient(new App({ routes: docsRoutes({ title: '<Shop & "Co">', openapiUrl: '/openapi.json' }) }));
    expect((await client.get('/docs')).text).toContain('<title>&#60;Shop &#38; &#34;Co&#34;&#62; - Swagger UI</title>');
  });
});
