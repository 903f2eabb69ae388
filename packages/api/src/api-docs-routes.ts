/**
 * Where the Api's docs are wired in: the OpenAPI document at `openapiUrl`, Swagger UI at
 * `docsUrl` and ReDoc at `redocUrl`. The Api calls `docsRoutes` once, at construction; the
 * document is built from `source.endpoints()` at the first request for it, since endpoints are
 * registered after the Api is built.
 */
import type { BaseRoute } from '@portico/framework';
import type { ApiInfo, EndpointDefinition } from './definition';
import { docsRoutes as docsPages, openApiRoute } from './docs';
import { buildOpenApiDocument } from './openapi';

export interface DocsSource {
  readonly info: ApiInfo;
  /** Every registered endpoint (those with `includeInSchema: false` too). */
  endpoints(): readonly EndpointDefinition[];
  /** `null`: that route is switched off. */
  readonly openapiUrl: string | null;
  readonly docsUrl: string | null;
  readonly redocUrl: string | null;
}

/** No document, no docs: the pages would have nothing to show (FastAPI does the same). */
export function docsRoutes(source: DocsSource): BaseRoute[] {
  if (source.openapiUrl === null) return [];
  return [
    openApiRoute(source.openapiUrl, () => buildOpenApiDocument(source.info, source.endpoints())),
    ...docsPages({ title: source.info.title, openapiUrl: source.openapiUrl, docsUrl: source.docsUrl, redocUrl: source.redocUrl }),
  ];
}
