/**
 * The body of the 422 an endpoint answers when its input does not validate (the
 * RequestValidationError's `{ detail: ValidationIssue[] }`), as named components so that every
 * operation refers to one schema, as FastAPI's `HTTPValidationError` and `ValidationError`.
 */
import { z } from 'zod';
import 'zod-openapi';

/** One issue: where, what, and a stable kind. */
export const validationErrorSchema = z
  .object({
    loc: z.array(z.union([z.string(), z.int()])).meta({ title: 'Location' }),
    msg: z.string().meta({ title: 'Message' }),
    type: z.string().meta({ title: 'Error Type' }),
    input: z.unknown().optional().meta({ title: 'Input' }),
    ctx: z.record(z.string(), z.unknown()).optional().meta({ title: 'Context' }),
  })
  .meta({ id: 'ValidationError', title: 'ValidationError' });

/**
 * The 422 body, documented on every operation that validates input.
 *
 * @example
 * buildOpenApiDocument(info, endpoints, { validationErrorSchema: myProblemSchema.meta({ id: 'Problem' }) });
 */
export const httpValidationErrorSchema = z
  .object({ detail: z.array(validationErrorSchema).meta({ title: 'Detail' }) })
  .meta({ id: 'HTTPValidationError', title: 'HTTPValidationError' });
