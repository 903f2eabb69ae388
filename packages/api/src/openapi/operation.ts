/**
 * One endpoint as a zod-openapi operation: parameters from its path, query, header and cookie
 * schemas, the request body by encoding, and its responses. zod-openapi renders the zod
 * schemas (request parts as input, responses as output).
 */
import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import type { oas31, ZodOpenApiOperationObject, ZodOpenApiParameters, ZodOpenApiRequestBodyObject, ZodOpenApiResponsesObject } from 'zod-openapi';
import type { EndpointDefinition, PartSchema } from '../definition';
import { headerName } from '../header-names';
import type { PathConverter, PathTemplate } from './path-template';
import { BINARY_SCHEMA } from './schema-override';

/** What the document builder settles before building an operation. */
export interface OperationContext {
  readonly operationId: string;
  readonly security: Array<Record<string, string[]>> | undefined;
  /** The 422 body schema; undefined leaves 422 out. */
  readonly validationErrorSchema: z.ZodType | undefined;
}

const CONVERTER_SCHEMAS: Record<PathConverter, oas31.SchemaObject> = {
  str: { type: 'string' },
  path: { type: 'string', description: 'May hold `/`.' },
  int: { type: 'integer', minimum: 0 },
  float: { type: 'number', minimum: 0 },
  uuid: { type: 'string', format: 'uuid' },
};

/**
 * @example
 * buildOperation(endpoint, toPathTemplates(endpoint.path)[0]!, { operationId: endpoint.operationId, security: undefined, validationErrorSchema });
 */
export function buildOperation(endpoint: EndpointDefinition, template: PathTemplate, context: OperationContext): ZodOpenApiOperationObject {
  const { path, parameters } = pathParameters(endpoint.params, template);
  const requestParams: ZodOpenApiParameters = {
    ...(path && { path }),
    ...(endpoint.query && { query: endpoint.query }),
    ...(endpoint.headers && { header: renamed(endpoint.headers, headerName) }),
    ...(endpoint.cookies && { cookie: endpoint.cookies }),
  };
  const requestBody = endpoint.body && buildRequestBody(endpoint);
  const validates = endpoint.params || endpoint.query || endpoint.headers || endpoint.cookies || endpoint.body;
  return {
    operationId: context.operationId,
    ...(endpoint.tags.length > 0 && { tags: [...endpoint.tags] }),
    ...(endpoint.summary !== undefined && { summary: endpoint.summary }),
    ...(endpoint.description !== undefined && { description: endpoint.description }),
    ...(endpoint.deprecated && { deprecated: true }),
    ...(Object.keys(requestParams).length > 0 && { requestParams }),
    ...(parameters.length > 0 && { parameters }),
    ...(requestBody && { requestBody }),
    responses: buildResponses(endpoint, validates ? context.validationErrorSchema : undefined),
    ...(context.security && { security: context.security }),
  };
}

/**
 * The template's parameters: those the endpoint's `params` schema describes (required here even
 * when optional there: an optional group left out is another template), the others from their
 * converters. Fields of `params` the template lacks are not path parameters of it.
 */
function pathParameters(params: PartSchema | undefined, template: PathTemplate): { path: PartSchema | undefined; parameters: oas31.ParameterObject[] } {
  const shape: Record<string, z.ZodType> = {};
  const parameters: oas31.ParameterObject[] = [];
  const declared = params?.shape ?? {};
  for (const param of template.params) {
    const field = declared[param.name];
    if (field === undefined) {
      parameters.push({ in: 'path', name: param.name, required: true, schema: CONVERTER_SCHEMAS[param.converter] });
    } else {
      shape[param.name] = field instanceof z.ZodOptional ? (field.unwrap() as z.ZodType) : (field as z.ZodType);
    }
  }
  return { path: Object.keys(shape).length > 0 ? z.object(shape) : undefined, parameters };
}

/** The same fields under other keys (header schema keys → header names). */
function renamed(schema: PartSchema, rename: (key: string) => string): PartSchema {
  return z.object(Object.fromEntries(Object.entries(schema.shape).map(([key, field]) => [rename(key), field as z.ZodType])));
}

function buildRequestBody(endpoint: EndpointDefinition): ZodOpenApiRequestBodyObject | undefined {
  const body = endpoint.body;
  if (body === undefined) return undefined;
  // Raw bytes are read as they come: the schema checks them after, there is nothing to describe but "binary".
  const schema = body.encoding === 'bytes' ? { ...BINARY_SCHEMA, contentMediaType: body.mediaType } : body.schema;
  return {
    content: { [body.mediaType]: { schema } },
    required: body.schema._zod.optin === undefined,
  };
}

/** The declared responses, the endpoint's own status when it is not among them, and the 422. */
function buildResponses(endpoint: EndpointDefinition, validationErrorSchema: z.ZodType | undefined): ZodOpenApiResponsesObject {
  const responses: Record<string, oas31.ResponseObject | ReturnType<typeof buildResponse>> = {};
  for (const [status, declaration] of Object.entries(endpoint.responses)) {
    responses[status] = buildResponse(Number(status), declaration);
  }
  responses[String(endpoint.status)] ??= { description: reasonPhrase(endpoint.status) };
  if (validationErrorSchema !== undefined) {
    responses['422'] ??= { description: 'Validation Error', content: { 'application/json': { schema: validationErrorSchema } } };
  }
  return responses as ZodOpenApiResponsesObject;
}

function buildResponse(status: number, declaration: EndpointDefinition['responses'][number]): {
  description: string;
  content?: Record<string, { schema: z.ZodType | oas31.SchemaObject }>;
  headers?: PartSchema;
} {
  const mediaType = declaration.mediaType ?? (declaration.schema === undefined ? undefined : 'application/json');
  // A declared media type without a schema (an HTML page, a CSV file) is still a body of that type.
  const schema: z.ZodType | oas31.SchemaObject | undefined = declaration.schema ?? (mediaType === undefined ? undefined : textOrBinary(mediaType));
  return {
    description: declaration.description ?? reasonPhrase(status),
    ...(mediaType !== undefined && schema !== undefined && { content: { [mediaType]: { schema } } }),
    ...(declaration.headers && { headers: renamed(declaration.headers, headerName) }),
  };
}

/** What a body of this type is when no schema says more: any JSON value, text, or bytes. */
function textOrBinary(mediaType: string): oas31.SchemaObject {
  if (/[/+]json$/.test(mediaType)) return {};
  return /^text\/|[/+]xml$/.test(mediaType) ? { type: 'string' } : { ...BINARY_SCHEMA, contentMediaType: mediaType };
}

/** `Not Found` for 404; `Status 599` for a code Node does not name. */
export function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? `Status ${status}`;
}
