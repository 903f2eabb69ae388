/**
 * The OpenAPI 3.1 document of an Api, built by zod-openapi from the registered endpoints.
 */
import type { z } from 'zod';
import { createDocument, type oas31, type ZodOpenApiObject, type ZodOpenApiPathItemObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import type { ApiInfo, EndpointDefinition, Method } from '../definition';
import { DuplicateOperationIdError } from '../exceptions';
import { OpenApiError } from './errors';
import { buildOperation } from './operation';
import { toPathTemplates } from './path-template';
import { porticoOverride } from './schema-override';
import { collectSecurity, SecuritySchemes, toSecurityRequirements } from './security';
import { httpValidationErrorSchema } from './validation-error';

/** The generated document (OpenAPI 3.1). */
export type OpenApiDocument = oas31.OpenAPIObject;

export interface OpenApiOptions {
  /**
   * The body documented for 422 on every endpoint that validates input. Default
   * `HTTPValidationError` (what RequestValidationError sends); `null` leaves the 422 out.
   * Give it `.meta({ id })` to have it as a named component.
   */
  readonly validationErrorSchema?: z.ZodType | null;
  /** The document's `tags`: descriptions and order of the tags endpoints use. */
  readonly tags?: readonly oas31.TagObject[];
}

type PathMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch';

/**
 * Build the document. Endpoints with `includeInSchema: false` and the HEAD endpoints a GET on
 * the same path already implies are left out; a path with optional groups is listed once per
 * combination (the fullest keeps the operationId, the others get `_2`, `_3`...).
 *
 * @example
 * const document = buildOpenApiDocument({ title: 'Notes', version: '1.0.0' }, api.endpoints);
 * document.paths?.['/notes/{id}']?.get?.operationId; // 'get_note'
 */
export function buildOpenApiDocument(info: ApiInfo, endpoints: readonly EndpointDefinition[], options: OpenApiOptions = {}): OpenApiDocument {
  const validationErrorSchema = options.validationErrorSchema === null ? undefined : (options.validationErrorSchema ?? httpValidationErrorSchema);
  const schemes = new SecuritySchemes();
  const paths: ZodOpenApiPathsObject = {};
  const claimed = new Map<string, { path: string; endpoint: EndpointDefinition }>();
  const operationIds = new Map<string, EndpointDefinition>();
  const listed = endpoints.filter((endpoint) => endpoint.includeInSchema && !impliedHead(endpoint, endpoints));
  const operations: Array<{ endpoint: EndpointDefinition; build: () => ZodOpenApiObject }> = [];

  for (const endpoint of listed) {
    const where = `${endpoint.method} ${endpoint.path}`;
    const security = toSecurityRequirements(schemes.add(collectSecurity(endpoint.dependencies), where));
    toPathTemplates(endpoint.path).forEach((template, index) => {
      const operationId = index === 0 ? endpoint.operationId : `${endpoint.operationId}_${index + 1}`;
      claimPath(claimed, endpoint, template.path);
      claimOperationId(operationIds, endpoint, operationId);
      const operation = buildOperation(endpoint, template, { operationId, security, validationErrorSchema });
      const item: ZodOpenApiPathItemObject = (paths[template.path] ??= {});
      item[endpoint.method.toLowerCase() as PathMethod] = operation;
      operations.push({ endpoint, build: () => documentObject(info, { [template.path]: { [endpoint.method.toLowerCase()]: operation } }, undefined, options) });
    });
  }

  try {
    return createDocument(documentObject(info, paths, schemes.toObject(), options), { override: porticoOverride });
  } catch (error) {
    throw blame(error, operations);
  }
}

function documentObject(
  info: ApiInfo,
  paths: ZodOpenApiPathsObject,
  securitySchemes: Record<string, oas31.SecuritySchemeObject> | undefined,
  options: OpenApiOptions,
): ZodOpenApiObject {
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version, ...(info.description !== undefined && { description: info.description }) },
    ...(info.servers && { servers: info.servers.map((server) => ({ ...server })) }),
    paths,
    ...(securitySchemes && { components: { securitySchemes } }),
    ...(options.tags && { tags: [...options.tags] }),
  };
}

/** A HEAD endpoint on a path that also has a GET: the framework answers HEAD with the GET's handler. */
function impliedHead(endpoint: EndpointDefinition, endpoints: readonly EndpointDefinition[]): boolean {
  return endpoint.method === 'HEAD' && endpoints.some((other) => other.method === ('GET' satisfies Method) && other.path === endpoint.path && other.includeInSchema);
}

/**
 * OpenAPI tells paths apart by their text with parameter names ignored (`/items/{id}` and
 * `/items/{slug}` are one path), and each method of a path holds one operation.
 */
function claimPath(claimed: Map<string, { path: string; endpoint: EndpointDefinition }>, endpoint: EndpointDefinition, path: string): void {
  const shape = path.replace(/\{[^}]*\}/g, '{}');
  const pathKey = `path ${shape}`;
  const known = claimed.get(pathKey);
  if (known !== undefined && known.path !== path) {
    throw new OpenApiError(
      `${endpoint.method} ${endpoint.path}: OpenAPI cannot tell '${path}' from '${known.path}' (${known.endpoint.method} ${known.endpoint.path}), paths that differ only in parameter names; use one parameter name for both, or set includeInSchema: false on one`,
    );
  }
  claimed.set(pathKey, { path, endpoint });
  const operationKey = `${endpoint.method} ${shape}`;
  const twin = claimed.get(operationKey);
  if (twin !== undefined && twin.endpoint !== endpoint) {
    throw new OpenApiError(
      `${endpoint.method} ${endpoint.path}: ${twin.endpoint.method} ${twin.endpoint.path} is documented as the same operation (${endpoint.method} ${path}); set includeInSchema: false on the one the docs should not show`,
    );
  }
  claimed.set(operationKey, { path, endpoint });
}

function claimOperationId(operationIds: Map<string, EndpointDefinition>, endpoint: EndpointDefinition, operationId: string): void {
  const known = operationIds.get(operationId);
  if (known !== undefined && known !== endpoint) {
    throw new DuplicateOperationIdError(
      `the operationId '${operationId}' of ${endpoint.method} ${endpoint.path} is already used by ${known.method} ${known.path}: give one of them another operationId (or name)`,
    );
  }
  operationIds.set(operationId, endpoint);
}

/** Name the endpoint whose schemas zod-openapi could not render (it reports the schema only). */
function blame(error: unknown, operations: ReadonlyArray<{ endpoint: EndpointDefinition; build: () => ZodOpenApiObject }>): unknown {
  if (error instanceof OpenApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  for (const { endpoint, build } of operations) {
    try {
      createDocument(build(), { override: porticoOverride });
    } catch {
      return new OpenApiError(`${endpoint.method} ${endpoint.path}: a schema cannot be documented: ${message}`, { cause: error });
    }
  }
  return new OpenApiError(`the OpenAPI document cannot be built: ${message}`, { cause: error });
}
