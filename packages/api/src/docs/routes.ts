/**
 * The docs as framework routes: Swagger UI and ReDoc pages, the files they load (served from
 * packages on disk, so the docs work offline), and the OpenAPI document. Every URL the pages
 * hold starts with the request's `rootPath`, so the docs work when the app is mounted.
 */
import { FileResponse, HTMLResponse, HTTPException, Response, Route, type BaseRoute, type Request } from '@portico/framework';
import { findRedocBundle, swaggerUiFolder, SWAGGER_UI_FILES } from './assets';
import { oauth2RedirectPage, redocMissingPage, redocPage, swaggerPage } from './html';
import { SWAGGER_INIT_HASH, SWAGGER_INIT_SCRIPT, SWAGGER_UI_DEFAULTS } from './swagger-init';

export interface DocsOptions {
  /** The pages' title (Swagger UI gets ` - Swagger UI`, ReDoc ` - ReDoc`). */
  readonly title: string;
  /** Where the OpenAPI document is served, relative to the app (the request's rootPath is put before it). */
  readonly openapiUrl: string;
  /** Swagger UI; `null` switches it off. Default '/docs'. */
  readonly docsUrl?: string | null;
  /** ReDoc; `null` switches it off. Default '/redoc'. */
  readonly redocUrl?: string | null;
  /** Swagger UI settings over Portico's defaults (`{ deepLinking: false, docExpansion: 'none' }`); JSON values only. */
  readonly swaggerUiParameters?: Readonly<Record<string, unknown>>;
  /** Handed to Swagger UI's `initOAuth` (`{ clientId, usePkceWithAuthorizationCodeGrant }`). */
  readonly swaggerUiInitOAuth?: Readonly<Record<string, unknown>>;
  /** ReDoc's standalone bundle file; default: the copy vendored into the package, else the redoc package. */
  readonly redocBundle?: string;
  /** The pages' Content-Security-Policy; `false` sends none. The default allows scripts from this server only. */
  readonly contentSecurityPolicy?: string | false;
}

/** Scripts from this origin only (the pages have no inline script); ReDoc's search runs in a blob worker. */
export const DEFAULT_DOCS_CSP = "script-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'self'";

/** Versioned asset URLs never change content: a year, immutable (RFC 8246). */
const ASSET_HEADERS = { 'cache-control': 'public, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' };

/**
 * Swagger UI at `docsUrl` (with its OAuth2 redirect page and files under `docsUrl/assets/`) and
 * ReDoc at `redocUrl`. Add the document itself with `openApiRoute`.
 *
 * @example
 * const app = new App({
 *   routes: [
 *     openApiRoute('/openapi.json', () => buildOpenApiDocument(info, endpoints)),
 *     ...docsRoutes({ title: 'Shop', openapiUrl: '/openapi.json' }),
 *   ],
 * });
 */
export function docsRoutes(options: DocsOptions): BaseRoute[] {
  const docsUrl = options.docsUrl === undefined ? '/docs' : options.docsUrl;
  const redocUrl = options.redocUrl === undefined ? '/redoc' : options.redocUrl;
  const pageHeaders: Record<string, string> = { 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' };
  if (options.contentSecurityPolicy !== false) pageHeaders['content-security-policy'] = options.contentSecurityPolicy ?? DEFAULT_DOCS_CSP;
  const routes: BaseRoute[] = [];
  if (docsUrl !== null) routes.push(...swaggerRoutes(options, docsUrl, pageHeaders));
  if (redocUrl !== null) routes.push(...redocRoutes(options, redocUrl, docsUrl, pageHeaders));
  return routes;
}

function swaggerRoutes(options: DocsOptions, docsUrl: string, pageHeaders: Record<string, string>): BaseRoute[] {
  const folder = swaggerUiFolder();
  const base = docsUrl.replace(/\/+$/, '');
  const assets = `${base}/assets/swagger-ui-${folder.version}`;
  const initPath = `${base}/assets/portico-swagger-init-${SWAGGER_INIT_HASH}.js`;
  const redirectPath = `${base}/oauth2-redirect`;
  const initScript = Buffer.from(SWAGGER_INIT_SCRIPT);

  const page = (request: Request): Response => {
    const root = rootOf(request);
    const config = {
      ...SWAGGER_UI_DEFAULTS,
      ...options.swaggerUiParameters,
      url: root + options.openapiUrl,
      oauth2RedirectUrl: root + redirectPath,
      ...(options.swaggerUiInitOAuth && { initOAuth: options.swaggerUiInitOAuth }),
    };
    const html = swaggerPage({
      title: `${options.title} - Swagger UI`,
      cssUrl: `${root}${assets}/swagger-ui.css`,
      faviconUrl: `${root}${assets}/favicon-32x32.png`,
      bundleUrl: `${root}${assets}/swagger-ui-bundle.js`,
      initUrl: root + initPath,
      config,
    });
    return new HTMLResponse(html, { headers: pageHeaders });
  };
  const redirect = (request: Request): Response => new HTMLResponse(oauth2RedirectPage(`${rootOf(request)}${assets}/oauth2-redirect.js`), { headers: pageHeaders });
  const file = (request: Request<{ file: string }>): Response => {
    const name = request.pathParams.file;
    const mediaType = Object.hasOwn(SWAGGER_UI_FILES, name) ? SWAGGER_UI_FILES[name] : undefined;
    // Only the listed files: the folder holds others (package.json, an index.html with inline script).
    if (mediaType === undefined) throw new HTTPException(404);
    return new FileResponse(`${folder.directory}/${name}`, { mediaType, headers: ASSET_HEADERS });
  };
  const init = (): Response => new Response(initScript, { mediaType: 'text/javascript', headers: ASSET_HEADERS });

  return [
    new Route(literal(docsUrl), page, { name: 'swagger_ui_html' }),
    new Route(literal(redirectPath), redirect, { name: 'swagger_ui_redirect' }),
    new Route(literal(initPath), init),
    new Route(`${literal(assets)}/:file`, file),
  ];
}

function redocRoutes(options: DocsOptions, redocUrl: string, docsUrl: string | null, pageHeaders: Record<string, string>): BaseRoute[] {
  // Found once, when the routes are built: the bundle does not come and go while serving.
  const bundle = findRedocBundle(options.redocBundle);
  const title = `${options.title} - ReDoc`;
  if (!bundle.found) {
    const missing = (request: Request): Response => {
      const root = rootOf(request);
      const html = redocMissingPage({ title, looked: bundle.looked, specUrl: root + options.openapiUrl, docsUrl: docsUrl === null ? undefined : root + docsUrl });
      return new HTMLResponse(html, { status: 503, headers: pageHeaders });
    };
    return [new Route(literal(redocUrl), missing, { name: 'redoc_html' })];
  }
  const bundlePath = `${redocUrl.replace(/\/+$/, '')}/assets/redoc-${bundle.version}/redoc.standalone.js`;
  const faviconPath = docsUrl === null ? undefined : `${docsUrl.replace(/\/+$/, '')}/assets/swagger-ui-${swaggerUiFolder().version}/favicon-32x32.png`;
  const page = (request: Request): Response => {
    const root = rootOf(request);
    const html = redocPage({ title, specUrl: root + options.openapiUrl, bundleUrl: root + bundlePath, faviconUrl: faviconPath === undefined ? undefined : root + faviconPath });
    return new HTMLResponse(html, { headers: pageHeaders });
  };
  const file = (): Response => new FileResponse(bundle.file, { mediaType: 'text/javascript', headers: ASSET_HEADERS });
  return [new Route(literal(redocUrl), page, { name: 'redoc_html' }), new Route(literal(bundlePath), file)];
}

/**
 * The OpenAPI document as JSON at `url`, built on the first request (endpoints are registered
 * after the routes are made) and kept.
 *
 * @example
 * openApiRoute('/openapi.json', () => buildOpenApiDocument(api.info, api.endpoints));
 */
export function openApiRoute(url: string, document: () => object): Route {
  let body: Uint8Array | undefined;
  const openapi = (): Response => {
    body ??= Buffer.from(JSON.stringify(document()));
    return new Response(body, { mediaType: 'application/json' });
  };
  return new Route(literal(url), openapi, { name: 'openapi' });
}

/** The path the app sits under, without a trailing slash. */
function rootOf(request: Request): string {
  return request.scope.rootPath.replace(/\/+$/, '');
}

/** A URL as a route path that matches only itself (path-to-regexp's special characters escaped). */
function literal(url: string): string {
  if (!url.startsWith('/')) throw new TypeError(`docs URLs start with '/', got '${url}'`);
  return url.replace(/[:*{}()[\]?+!\\]/g, '\\$&');
}
