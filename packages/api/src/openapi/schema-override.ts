/**
 * How Portico's own schemas render in the document. An uploaded file (the schema marked
 * `.meta({ portico: { kind: 'upload-file' } })`) is a class instance zod cannot describe; it is
 * documented as a binary string, which Swagger UI shows as a file picker.
 */
import { z } from 'zod';
import type { ZodOpenApiOverrideContext } from 'zod-openapi';
import { PORTICO_META_KEY, type PorticoSchemaMeta } from '../definition';

/** The JSON Schema of one uploaded file. */
export const BINARY_SCHEMA = { type: 'string', format: 'binary', contentMediaType: 'application/octet-stream' } as const;

/** Whether a schema (or the schema it was cloned from) carries Portico's upload marker. */
export function isUploadFile(schema: z.core.$ZodType): boolean {
  const meta: Record<string, unknown> | undefined = z.globalRegistry.get(schema);
  const portico = meta?.[PORTICO_META_KEY] as Partial<PorticoSchemaMeta> | undefined;
  return portico?.kind === 'upload-file';
}

/**
 * zod-openapi's `override`: uploads become binary strings, and Portico's marker never reaches
 * the document (it is not JSON Schema).
 */
export function porticoOverride({ jsonSchema, zodSchema }: ZodOpenApiOverrideContext): void {
  const target = jsonSchema as Record<string, unknown>;
  delete target[PORTICO_META_KEY];
  if (!isUploadFile(zodSchema)) return;
  const { description, title } = target;
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, BINARY_SCHEMA, description === undefined ? {} : { description }, title === undefined ? {} : { title });
}
