/**
 * Request bodies: a bare zod schema is JSON; `form()`, `multipart()` and `bytes()` declare the
 * other encodings. `readBody` decodes the body its declaration names and parses it, adding
 * issues (malformed JSON included) to the 422 list; a wrong Content-Type is a 415.
 */
import { UploadFile, type Request } from '@portico/framework';
import { z } from 'zod';
import { PORTICO_META_KEY, type BodyDeclaration } from './definition';
import { HTTPException, type ValidationIssue } from './exceptions';
import { collect, fieldShapes } from './coercion';
import { describeValue, isZodSchema, parsePart } from './validation';

/** What the `body` option takes: a zod schema (JSON) or a declaration from `json()`, `form()`, `multipart()`, `bytes()`. */
export type BodyOption = z.ZodType | BodyDeclaration;

/** A declaration whose encoding is known to the type system (the typed client reads it). */
export type EncodedBody<E extends BodyDeclaration['encoding'], S extends z.ZodType> = BodyDeclaration<S> & { readonly encoding: E };

/**
 * A JSON body with another media type than `application/json` (any `+json` type is accepted as well).
 *
 * @example
 * api.post('/patches', { body: json(Patch, 'application/merge-patch+json') }, ({ body }) => body);
 */
export function json<S extends z.ZodType>(schema: S, mediaType = 'application/json'): EncodedBody<'json', S> {
  return declaration('json', schema, mediaType, 'json');
}

/**
 * An `application/x-www-form-urlencoded` body (a multipart one is read too). Fields are
 * strings, coerced by the schema as query parameters are.
 *
 * @example
 * api.post('/login', { body: form(z.object({ username: z.string(), password: z.string() })) }, ({ body }) => body.username);
 */
export function form<S extends z.ZodObject>(schema: S): EncodedBody<'urlencoded', S> {
  return declaration('urlencoded', schema, 'application/x-www-form-urlencoded', 'form');
}

/**
 * A `multipart/form-data` body: text fields coerced, files as the framework's `UploadFile`
 * (declare them with `uploadFile()`). Uploaded files are removed when the request ends.
 *
 * @example
 * api.post('/photos', { body: multipart(z.object({ title: z.string(), photo: uploadFile() })) }, async ({ body }) => ({ size: body.photo.size }));
 */
export function multipart<S extends z.ZodObject>(schema: S): EncodedBody<'multipart', S> {
  return declaration('multipart', schema, 'multipart/form-data', 'multipart');
}

/** The schema of raw bytes bodies. */
export const BytesSchema = z.instanceof(Uint8Array);

/**
 * The raw body as bytes. With a media type, another Content-Type is a 415; without one, any is taken
 * (documented as `application/octet-stream`).
 *
 * @example
 * api.put('/blobs/:key', { body: bytes('image/png'), status: 204 }, async ({ params, body }) => { await store(params.key, body); });
 */
export function bytes(mediaType?: string): EncodedBody<'bytes', typeof BytesSchema> & { readonly strict: boolean } {
  return { encoding: 'bytes', schema: BytesSchema, mediaType: mediaType ?? 'application/octet-stream', strict: mediaType !== undefined };
}

/**
 * A zod schema for an uploaded file in a `multipart()` body; documented as `format: binary`.
 *
 * @example
 * multipart(z.object({ photo: uploadFile(), extra: z.array(uploadFile()).optional() }))
 */
export function uploadFile(): z.ZodCustom<UploadFile, UploadFile> {
  return z.instanceof(UploadFile).meta({ [PORTICO_META_KEY]: { kind: 'upload-file' } });
}

function declaration<E extends BodyDeclaration['encoding'], S extends z.ZodType>(encoding: E, schema: S, mediaType: string, helper: string): EncodedBody<E, S> {
  if (!isZodSchema(schema)) throw new TypeError(`${helper}(schema) takes a zod schema, got ${describeValue(schema)}`);
  if ((encoding === 'urlencoded' || encoding === 'multipart') && !(schema instanceof z.ZodObject)) {
    throw new TypeError(`${helper}(schema) takes a z.object(...) (a form is named fields), got a ${(schema as z.ZodType).def.type} schema`);
  }
  return { encoding, schema, mediaType };
}

/** A `body` option as a declaration; TypeError for anything else. */
export function toBodyDeclaration(option: unknown, where: string): BodyDeclaration {
  if (isZodSchema(option)) return { encoding: 'json', schema: option, mediaType: 'application/json' };
  if (typeof option === 'object' && option !== null && 'encoding' in option && isZodSchema((option as { schema?: unknown }).schema)) return option as BodyDeclaration;
  throw new TypeError(`${where}: body takes a zod schema (JSON) or json(), form(), multipart(), bytes(); got ${describeValue(option)}`);
}

function mediaTypeOf(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

function isJsonType(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Read and parse the body as declared; issues join `issues`, a wrong media type throws 415. */
export async function readBody(request: Request, body: BodyDeclaration, issues: ValidationIssue[]): Promise<unknown> {
  const mediaType = mediaTypeOf(request);
  switch (body.encoding) {
    case 'json': {
      // FastAPI's CSRF guard: a simple cross-site form post cannot carry JSON.
      if (mediaType !== '' && !isJsonType(mediaType)) throw unsupported(mediaType, body.mediaType);
      const raw = await request.body();
      if (raw.length === 0) return parsePart(body.schema, undefined, 'body', issues);
      let value: unknown;
      try {
        value = JSON.parse(utf8.decode(raw)) as unknown;
      } catch (error) {
        const message = (error as Error).message;
        const position = /position (\d+)/.exec(message)?.[1];
        issues.push({ loc: position === undefined ? ['body'] : ['body', Number(position)], msg: 'JSON decode error', type: 'json_invalid', input: {}, ctx: { error: message } });
        return undefined;
      }
      return parsePart(body.schema, value, 'body', issues);
    }
    case 'urlencoded':
    case 'multipart': {
      if (mediaType !== 'application/x-www-form-urlencoded' && mediaType !== 'multipart/form-data') throw unsupported(mediaType, body.mediaType);
      if (body.encoding === 'multipart' && mediaType !== 'multipart/form-data') throw unsupported(mediaType, body.mediaType);
      const data = await request.form();
      return parsePart(body.schema, collect(fieldShapes(body.schema as z.ZodObject), data), 'body', issues);
    }
    case 'bytes': {
      if ((body as { strict?: boolean }).strict && mediaType !== body.mediaType) throw unsupported(mediaType, body.mediaType);
      return parsePart(body.schema, await request.body(), 'body', issues);
    }
  }
}

function unsupported(given: string, expected: string): HTTPException {
  return new HTTPException(415, `Unsupported Media Type: expected ${expected}, got ${given || 'no Content-Type'}`);
}
