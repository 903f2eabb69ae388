import { randomBytes } from 'node:crypto';
import { lookup } from 'mime-types';

/** One file to upload: `[filename, content, contentType?]`; the type defaults to one guessed from the filename. */
export type UploadSpec = readonly [filename: string, content: string | Uint8Array, contentType?: string];

/** Files by field name: one file, or several under the same name. */
export type UploadFiles = Record<string, UploadSpec | readonly UploadSpec[]>;

/** Form fields by name: one value, or several under the same name. */
export type FormFields = Record<string, string | readonly string[]>;

/**
 * A `multipart/form-data` body as a browser builds it (WHATWG HTML, "multipart/form-data encoding
 * algorithm"): the fields first, then the files, each part under a random boundary.
 */
export function multipartBody(fields: FormFields | undefined, files: UploadFiles): { body: Buffer; contentType: string } {
  const boundary = `----PorticoFormBoundary${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  const part = (head: string, content: string | Uint8Array): void => {
    chunks.push(Buffer.from(`--${boundary}\r\n${head}\r\n\r\n`), Buffer.from(content), Buffer.from('\r\n'));
  };
  for (const [name, values] of Object.entries(fields ?? {})) {
    for (const value of typeof values === 'string' ? [values] : values) part(`content-disposition: form-data; name="${escape(name)}"`, value);
  }
  for (const [name, specs] of Object.entries(files)) {
    for (const [filename, content, contentType] of uploadList(name, specs)) {
      const type = contentType ?? (lookup(filename) || 'application/octet-stream');
      part(`content-disposition: form-data; name="${escape(name)}"; filename="${escape(filename)}"\r\ncontent-type: ${type}`, content);
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The uploads of one field, checked: `files: { photo: ['a.png', bytes, 'image/png'] }` or a list of such. */
function uploadList(name: string, specs: UploadSpec | readonly UploadSpec[]): readonly UploadSpec[] {
  const list = isSpec(specs) ? [specs] : specs;
  if (!Array.isArray(list) || !list.every(isSpec)) {
    throw new TypeError(
      `TestClient files['${name}'] must be [filename, content, contentType?] (content a string or Uint8Array) or a list of them, got ${describe(specs)}`,
    );
  }
  return list;
}

function isSpec(value: unknown): value is UploadSpec {
  return (
    Array.isArray(value) &&
    (value.length === 2 || value.length === 3) &&
    typeof value[0] === 'string' &&
    (typeof value[1] === 'string' || value[1] instanceof Uint8Array) &&
    (value[2] === undefined || typeof value[2] === 'string')
  );
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return value === null ? 'null' : typeof value;
}

/** Quotes and line breaks in a name or filename, percent-encoded as browsers do. */
function escape(text: string): string {
  return text.replace(/["\r\n]/g, (char) => encodeURIComponent(char));
}
