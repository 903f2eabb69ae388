/**
 * The OpenAPI document cannot be built from the registered endpoints: a schema zod cannot
 * express as JSON Schema, two endpoints on one method and path, two security schemes under one
 * name. The message names the endpoint and what to change.
 *
 * @example
 * try {
 *   buildOpenApiDocument(info, api.endpoints);
 * } catch (error) {
 *   if (error instanceof OpenApiError) console.error(error.message); // "GET /items/{id}: ..."
 * }
 */
export class OpenApiError extends Error {
  override readonly name = 'OpenApiError';
}
