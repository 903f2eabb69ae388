export { Api, type ApiOptions } from './api';
export { ApiRouter, type ApiRouterOptions } from './api-router';
export { bytes, BytesSchema, form, json, multipart, uploadFile, type BodyOption, type EncodedBody } from './bodies';
export {
  Dependency,
  depends,
  type AnyDependencyFunction,
  type DependenciesOption,
  type DependencyContext,
  type DependencyOverrides,
  type DependencyResult,
  type DependencyScope,
  type DepsOf,
  type LifespanDependencyContext,
} from './dependencies';
export { DependencyError, DuplicateOperationIdError, HTTPException, RequestValidationError, ResponseValidationError, type HTTPExceptionConstructor, type ValidationIssue } from './exceptions';
export {
  APIKeyCookie,
  APIKeyHeader,
  APIKeyQuery,
  HTTPBasic,
  HTTPBearer,
  OAuth2PasswordBearer,
  OAuth2PasswordRequestForm,
  type Credential,
  type HTTPAuthorizationCredentials,
  type HTTPBasicCredentials,
  type SecuritySchemeOptions,
} from './security';
export { defaultOperationId } from './operation-id';
export { buildOpenApiDocument, httpValidationErrorSchema, OpenApiError, validationErrorSchema, type OpenApiDocument, type OpenApiOptions } from './openapi';
export { DEFAULT_DOCS_CSP, docsRoutes, openApiRoute, type DocsOptions } from './docs';
export { headerName } from './header-names';
export { testClientFetch, type FetchLike } from './testing';
export type { AnyHandler, AnyRouteEntry, BodyValue, EndpointMethod, EndpointOptions, HandlerContext, HandlerReturn, PartValue, Prefixed, RouteEntry, Undeclared } from './types';
export type {
  ApiInfo,
  BodyDeclaration,
  BodyEncoding,
  DependencyDeclaration,
  EndpointDefinition,
  Method,
  PartSchema,
  PorticoSchemaMeta,
  ResponseDeclaration,
  ResponsesOption,
  ResponseValidation,
  SecurityRequirement,
  SecuritySchemeObject,
} from './definition';
export { PORTICO_META_KEY } from './definition';
