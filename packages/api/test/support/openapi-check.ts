/**
 * Check a generated document the two ways it can be wrong: against the OpenAPI 3.1 spec
 * (@readme/openapi-parser), and schema by schema against JSON Schema 2020-12 (Ajv), since the
 * parser does not look inside schema objects.
 */
import { compileErrors, validate } from '@readme/openapi-parser';
import Ajv2020 from 'ajv/dist/2020';
import type { OpenApiDocument } from '../../src/openapi';

const DOCUMENT_ID = 'urn:portico:openapi';

/** Every spec error, as one readable text; '' when the document is valid. */
export async function specErrors(document: OpenApiDocument): Promise<string> {
  // validate() dereferences in place: give it a copy.
  const result = await validate(structuredClone(document) as Parameters<typeof validate>[0]);
  return result.valid ? '' : compileErrors(result);
}

/** JSON pointers of every schema object in the document (component schemas, parameter, header and media type schemas). */
export function schemaPointers(document: OpenApiDocument): string[] {
  const pointers: string[] = [];
  const escape = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');
  const walk = (value: unknown, pointer: string): void => {
    if (value === null || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      const childPointer = `${pointer}/${escape(key)}`;
      // A schema's insides are the schema's business: Ajv compiles them with it.
      if (key === 'schema' && child !== null && typeof child === 'object') pointers.push(childPointer);
      else walk(child, childPointer);
    }
  };
  walk(document.paths, '/paths');
  for (const name of Object.keys(document.components?.schemas ?? {})) pointers.push(`/components/schemas/${escape(name)}`);
  return pointers;
}

/** An Ajv (strict, 2020-12) holding the document, so `$ref`s into it resolve. */
function ajvFor(document: OpenApiDocument): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, validateFormats: false, allErrors: true });
  // OpenAPI's own schema keywords, and the document's top-level keys (not schema keywords, only carried).
  for (const keyword of ['example', 'discriminator', 'xml', 'externalDocs', 'openapi', 'info', 'servers', 'paths', 'components', 'tags', 'security', 'webhooks']) {
    ajv.addKeyword(keyword);
  }
  ajv.addSchema(structuredClone(document) as object, DOCUMENT_ID);
  return ajv;
}

/** A validator for the schema at `pointer` in the document (`/components/schemas/Item`). */
export function schemaValidator(document: OpenApiDocument, pointer: string): (value: unknown) => boolean {
  const validate = ajvFor(document).compile({ $ref: `${DOCUMENT_ID}#${pointer}` });
  return (value) => validate(value);
}

/** Compile each schema with Ajv in strict mode; the failures, one line each. */
export function schemaErrors(document: OpenApiDocument): string[] {
  const ajv = ajvFor(document);
  const errors: string[] = [];
  for (const pointer of schemaPointers(document)) {
    try {
      ajv.compile({ $ref: `${DOCUMENT_ID}#${pointer}` });
    } catch (error) {
      errors.push(`${pointer}: ${(error as Error).message}`);
    }
  }
  return errors;
}
