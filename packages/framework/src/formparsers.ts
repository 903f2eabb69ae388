/**
 * Form bodies: `application/x-www-form-urlencoded`, and `multipart/form-data` streamed through
 * busboy, its files spooled to UploadFile objects as they arrive. Limits are checked while
 * parsing; on any failure every temp file written so far is removed before the error is thrown.
 */
import { tmpdir } from 'node:os';
import busboy from 'busboy';
import { FormData, Headers, type FormValue } from './datastructures';
import { HTTPException } from './exceptions';
import { Interrupt } from './interrupt';
import { SpooledFile, UploadFile } from './uploads';

export interface FormOptions {
  /** Most files in one form; more is a 400. Default 1000. */
  maxFiles?: number;
  /** Most non-file fields in one form; more is a 400. Default 1000. */
  maxFields?: number;
  /** Largest non-file field value, in bytes; larger is a 413. Default 1 MiB. */
  maxPartSize?: number;
  /** Largest file, in bytes; larger is a 413. Default: no limit but the server's body limit. */
  maxFileSize?: number;
  /** Files larger than this (bytes) move from memory to a temp file. Default 1 MiB. */
  spoolMaxSize?: number;
  /** Where temp files go. Default the OS temp directory. */
  tempDir?: string;
  /**
   * Largest urlencoded body, in bytes; larger is a 413 (BodyTooLargeError), as for `body()`.
   * Default: the App's `bodyLimit`, else 1 MiB. Multipart bodies are bounded by the limits above.
   */
  limit?: number | undefined;
}

const MiB = 1024 * 1024;

/** A urlencoded body, with the field count and size limits of `options`. */
export function parseUrlencoded(text: string, options: FormOptions): FormData {
  const maxFields = options.maxFields ?? 1000;
  const maxPartSize = options.maxPartSize ?? MiB;
  const items: Array<[string, FormValue]> = [];
  for (const [name, value] of new URLSearchParams(text)) {
    if (items.length === maxFields) throw tooManyFields(maxFields);
    if (Buffer.byteLength(value) > maxPartSize) throw partTooLarge(name, maxPartSize);
    items.push([name, value]);
  }
  return new FormData(items);
}

/**
 * A multipart body, read chunk by chunk. Files become UploadFile objects (in memory up to
 * `spoolMaxSize`, then in a temp file). A body that is not valid multipart is a 400.
 */
export async function parseMultipart(contentType: string, chunks: AsyncIterable<Uint8Array>, options: FormOptions): Promise<FormData> {
  const maxFiles = options.maxFiles ?? 1000;
  const maxFields = options.maxFields ?? 1000;
  const maxPartSize = options.maxPartSize ?? MiB;
  const maxFileSize = options.maxFileSize ?? Infinity;
  const spoolMaxSize = options.spoolMaxSize ?? MiB;
  const tempDir = options.tempDir ?? tmpdir();

  let parser: busboy.Busboy;
  try {
    // Browsers send field and file names as raw UTF-8 (busboy's default would read them as latin1).
    // busboy reports a limit when a part *reaches* it; one byte more makes a part of exactly the limit pass, as urlencoded ones do.
    const limits = { files: maxFiles, fields: maxFields, fieldSize: maxPartSize + 1, fileSize: maxFileSize + 1 };
    parser = busboy({ headers: { 'content-type': contentType }, defParamCharset: 'utf8', limits });
  } catch (error) {
    throw malformed(error);
  }
  const items: Array<[string, FormValue]> = [];
  const files: SpooledFile[] = [];
  const writers: Promise<void>[] = [];
  let failure: unknown;
  let wakeOnFailure: (() => void) | undefined;
  const failed = new Interrupt(new Promise<void>((resolve) => (wakeOnFailure = resolve)));
  const fail = (error: unknown): void => {
    failure ??= error;
    wakeOnFailure!();
  };
  const finished = new Promise<void>((resolve, reject) => {
    parser.on('close', resolve);
    parser.on('error', reject);
  });
  finished.catch((error: unknown) => fail(malformed(error)));

  // busboy gives `undefined` as the name of a part whose name is empty (`name=""`) or missing.
  parser.on('field', (partName: string | undefined, value, info) => {
    const name = partName ?? '';
    if (info.valueTruncated) fail(partTooLarge(name, maxPartSize));
    else items.push([name, value]);
  });
  parser.on('file', (partName: string | undefined, stream, info) => {
    const name = partName ?? '';
    const file = new SpooledFile(spoolMaxSize, tempDir);
    files.push(file);
    const headers = new Headers([
      ['content-disposition', `form-data; name="${quote(name)}"${info.filename === undefined ? '' : `; filename="${quote(info.filename)}"`}`],
      ['content-type', info.mimeType],
    ]);
    items.push([name, new UploadFile(file, { filename: info.filename, contentType: info.mimeType, headers })]);
    stream.on('limit', () => fail(new HTTPException(413, `The file '${info.filename ?? name}' is larger than the limit of ${maxFileSize} bytes.`)));
    writers.push(
      (async () => {
        for await (const chunk of stream) await file.write(chunk as Buffer);
        await file.finish();
      })().catch(fail),
    );
  });
  parser.on('filesLimit', () => fail(new HTTPException(400, `Too many files in the form: the limit is ${maxFiles}.`)));
  parser.on('fieldsLimit', () => fail(tooManyFields(maxFields)));

  try {
    for await (const chunk of chunks) {
      if (failure === undefined && !parser.write(chunk)) await failed.race(new Promise((drained) => parser.once('drain', drained)));
      if (failure !== undefined) break;
    }
    if (failure === undefined) {
      parser.end();
      await failed.race(finished);
      await Promise.all(writers);
    }
  } catch (error) {
    fail(error);
  }
  if (failure === undefined) return new FormData(items);
  parser.destroy();
  await Promise.allSettled(writers);
  await Promise.allSettled(files.map((file) => file.close()));
  throw failure;
}

function tooManyFields(limit: number): HTTPException {
  return new HTTPException(400, `Too many fields in the form: the limit is ${limit}.`);
}

function partTooLarge(name: string, limit: number): HTTPException {
  return new HTTPException(413, `The form field '${name}' is larger than the limit of ${limit} bytes.`);
}

function malformed(error: unknown): HTTPException {
  if (error instanceof HTTPException) return error;
  return new HTTPException(400, `The multipart form is malformed: ${error instanceof Error ? error.message : String(error)}.`);
}

function quote(text: string): string {
  return text.replace(/["\\\r\n]/g, (char) => encodeURIComponent(char));
}
