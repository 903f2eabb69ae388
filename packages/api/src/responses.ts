/**
 * A handler's return value as the response sent: a framework Response as it is; otherwise the
 * value parsed by the declared schema of the endpoint's status (so undeclared keys never leave),
 * as JSON with that status. 204 and 304 carry no body.
 */
import { JSONResponse, Response } from '@portico/framework';
import type { EndpointDefinition } from './definition';
import { ResponseValidationError } from './exceptions';
import { toIssues } from './validation';

function isJson(mediaType: string): boolean {
  const type = mediaType.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}

/** The Response for what the handler of `endpoint` returned. */
export async function toResponse(value: unknown, endpoint: EndpointDefinition, label: string): Promise<Response> {
  if (value instanceof Response) return value;
  const { status } = endpoint;
  if (status === 204 || status === 304 || (status >= 100 && status < 200)) return new Response(null, { status });
  const declared = endpoint.responses[status];
  let content = value;
  if (endpoint.responseValidation === 'strict' && declared?.schema !== undefined) {
    const result = await declared.schema.safeParseAsync(value, { reportInput: true });
    if (!result.success) throw new ResponseValidationError(label, status, toIssues(undefined, result.error.issues));
    content = result.data;
  }
  const mediaType = declared?.mediaType;
  if (mediaType !== undefined && !isJson(mediaType) && (typeof content === 'string' || content instanceof Uint8Array)) {
    return new Response(content, { status, mediaType });
  }
  return new JSONResponse(content, { status });
}
