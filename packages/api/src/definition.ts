/**
 * What an endpoint declares, as plain data: the one shape the request pipeline, the OpenAPI
 * generator and the docs read. Type inference for handlers and the client lives elsewhere and
 * only narrows these shapes.
 */
import type { z } from 'zod';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** A schema for one request part read as named string values (path, query, headers, cookies). */
export type PartSchema = z.ZodObject;

/** How a request body is read before its schema parses it. */
export type BodyEncoding = 'json' | 'urlencoded' | 'multipart' | 'bytes';

/** A request body: its schema and how it is decoded. A bare zod schema means JSON. */
export interface BodyDeclaration<S extends z.ZodType = z.ZodType> {
  readonly encoding: BodyEncoding;
  readonly schema: S;
  /** The media type documented and required (JSON endpoints also take `+json` types). */
  readonly mediaType: string;
}

/** One documented response: a bare zod schema (JSON), or with a description and media type. */
export interface ResponseDeclaration<S extends z.ZodType | undefined = z.ZodType | undefined> {
  readonly schema?: S;
  readonly description?: string;
  /** Default `application/json` when there is a schema. */
  readonly mediaType?: string;
  readonly headers?: PartSchema;
}

export type ResponsesOption = Readonly<Record<number, z.ZodType | ResponseDeclaration>>;

/** A security scheme as OpenAPI documents it; the dependency that checks it carries it. */
export type SecuritySchemeObject =
  | { type: 'http'; scheme: 'bearer' | 'basic'; bearerFormat?: string; description?: string }
  | { type: 'apiKey'; in: 'header' | 'query' | 'cookie'; name: string; description?: string }
  | { type: 'oauth2'; flows: { password: { tokenUrl: string; scopes: Record<string, string> } }; description?: string };

export interface SecurityRequirement {
  /** The key under `components.securitySchemes`. */
  readonly name: string;
  readonly scheme: SecuritySchemeObject;
  readonly scopes: readonly string[];
}

/** What the OpenAPI generator needs of a dependency: its security scheme and its own dependencies. */
export interface DependencyDeclaration {
  readonly security?: SecurityRequirement;
  readonly dependencies: Readonly<Record<string, DependencyDeclaration>>;
}

export type ResponseValidation = 'strict' | 'off';

/** One registered endpoint, with its router's prefix, tags, dependencies and responses merged in. */
export interface EndpointDefinition {
  readonly method: Method;
  /** The full path in the framework's syntax (`/items/:id<int>`), prefix included. */
  readonly path: string;
  readonly params?: PartSchema;
  readonly query?: PartSchema;
  readonly headers?: PartSchema;
  readonly cookies?: PartSchema;
  readonly body?: BodyDeclaration;
  /** The declared responses, each normalised to a declaration. */
  readonly responses: Readonly<Record<number, ResponseDeclaration>>;
  /** The status a plain returned value is sent with (default 200). */
  readonly status: number;
  readonly tags: readonly string[];
  readonly summary?: string;
  readonly description?: string;
  readonly operationId: string;
  readonly deprecated: boolean;
  readonly dependencies: Readonly<Record<string, DependencyDeclaration>>;
  readonly responseValidation: ResponseValidation;
  /** Excluded from the OpenAPI document (the docs routes themselves). */
  readonly includeInSchema: boolean;
}

/** The document's `info` and `servers`, from the Api's options. */
export interface ApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description?: string;
  readonly servers?: ReadonlyArray<{ url: string; description?: string }>;
}

/**
 * The `.meta()` key under which Portico marks schemas it treats specially. `uploadFile()` is
 * `z.instanceof(UploadFile).meta({ portico: { kind: 'upload-file' } })`; the OpenAPI side
 * documents a schema carrying `{ kind: 'upload-file' }` as `{ type: 'string', format: 'binary' }`.
 */
export const PORTICO_META_KEY = 'portico';

/** What `.meta({ portico: ... })` holds. */
export interface PorticoSchemaMeta {
  readonly kind: 'upload-file';
}
