/**
 * A handler's return value as the response sent: a framework Response as it is; otherwise the
 * value parsed by the declared schema of the endpoint's status (so undeclared keys never leave),
 * as JSON with that status. 204 and 304 carry no body.
 */
import { JSONResponse, Response } from '@portico/framework';
import type { z } from 'zod';
import type { EndpointDefinition, ResponseDeclaration } from './definition';
import { ResponseValidationError } from './exceptions';
import { parseValue, toIssues } from './validation';

function isJson(mediaType: string): boolean {
  const type = mediaType.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}

/** The Response for what the handler of `endpoint` returned; a promise only for a schema with async parts. */
export function toResponse(value: unknown, endpoint: EndpointDefinition, label: string): Response | Promise<Response> {
  if (value instanceof Response) return value;
  const { status } = endpoint;
  if (status === 204 || status === 304 || (status >= 100 && status < 200)) return new Response(null, { status });
  const declared = endpoint.responses[status];
  if (endpoint.responseValidation !== 'strict' || declared?.schema === undefined) return encode(value, status, declared);
  const result = parseValue(declared.schema, value);
  if (result instanceof Promise) return result.then((settled) => validated(settled, status, declared, label));
  return validated(result, status, declared, label);
}

function validated(result: z.ZodSafeParseResult<unknown>, status: number, declared: ResponseDeclaration, label: string): Response {
  if (!result.success) throw new ResponseValidationError(label, status, toIssues(undefined, result.error.issues));
  return encode(result.data, status, declared);
}

function encode(content: unknown, status: number, declared: ResponseDeclaration | undefined): Response {
  const mediaType = declared?.mediaType;
  if (mediaType !== undefined && !isJson(mediaType) && (typeof content === 'string' || content instanceof Uint8Array)) {
    return new Response(content, { status, mediaType });
  }
  return new JSONResponse(content, { status });
}
