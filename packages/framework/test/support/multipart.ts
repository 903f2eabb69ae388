/** One part of a multipart/form-data body; a part with a filename (or a contentType) is a file. */
export interface Part {
  name: string;
  value: string | Uint8Array;
  filename?: string;
  contentType?: string;
}

/**
 * Encode a multipart/form-data body by hand, as a browser would, so tests control every byte.
 *
 * @example
 * const { body, headers } = multipart([{ name: 'title', value: 'Milk' }, { name: 'photo', value: bytes, filename: 'a.png', contentType: 'image/png' }]);
 * await client.post('/upload', { body, headers });
 */
export function multipart(parts: readonly Part[], boundary = '----portico-test-boundary'): { body: Buffer; headers: { 'content-type': string } } {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\ncontent-disposition: form-data; name="${part.name}"`;
    if (part.filename !== undefined) head += `; filename="${part.filename}"`;
    head += '\r\n';
    if (part.contentType !== undefined) head += `content-type: ${part.contentType}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`), Buffer.from(part.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** The body cut into pieces of `size` bytes, delivered one `http.request` event each. */
export function inPieces(body: Uint8Array, size: number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let offset = 0; offset < body.length; offset += size) pieces.push(body.subarray(offset, offset + size));
  return pieces;
}
