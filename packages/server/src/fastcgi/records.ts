/**
 * FastCGI 1.0 records (https://fastcgi-archives.github.io/FastCGI_Specification.html, section 3):
 * an 8-byte header, up to 65535 content bytes, padding to an 8-byte boundary.
 */

export const FCGI_VERSION_1 = 1;
export const FCGI_NULL_REQUEST_ID = 0;
export const FCGI_MAX_CONTENT = 0xffff;

export const RecordType = {
  BeginRequest: 1,
  AbortRequest: 2,
  EndRequest: 3,
  Params: 4,
  Stdin: 5,
  Stdout: 6,
  Stderr: 7,
  Data: 8,
  GetValues: 9,
  GetValuesResult: 10,
  UnknownType: 11,
} as const;

export const Role = { Responder: 1, Authorizer: 2, Filter: 3 } as const;
/** FCGI_KEEP_CONN: the web server keeps the connection open after the request. */
export const FLAG_KEEP_CONN = 1;

export const ProtocolStatus = { RequestComplete: 0, CantMpxConn: 1, Overloaded: 2, UnknownRole: 3 } as const;

export interface FastCgiRecord {
  type: number;
  requestId: number;
  content: Buffer;
}

/** Thrown for bytes that are not FastCGI; the connection cannot be trusted after it. */
export class FastCgiProtocolError extends Error {
  override readonly name = 'FastCgiProtocolError';
}

const HEADER_SIZE = 8;

/** Cuts a byte stream into records; feed it chunks as they arrive. */
export class RecordParser {
  #buffer: Buffer = Buffer.alloc(0);

  /** Every complete record in the bytes received so far. */
  *push(chunk: Buffer): Generator<FastCgiRecord> {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    let offset = 0;
    while (this.#buffer.length - offset >= HEADER_SIZE) {
      const version = this.#buffer[offset]!;
      if (version !== FCGI_VERSION_1) throw new FastCgiProtocolError(`unsupported FastCGI version ${version} (expected 1)`);
      const contentLength = this.#buffer.readUInt16BE(offset + 4);
      const total = HEADER_SIZE + contentLength + this.#buffer[offset + 6]!;
      if (this.#buffer.length - offset < total) break;
      yield {
        type: this.#buffer[offset + 1]!,
        requestId: this.#buffer.readUInt16BE(offset + 2),
        content: this.#buffer.subarray(offset + HEADER_SIZE, offset + HEADER_SIZE + contentLength),
      };
      offset += total;
    }
    this.#buffer = this.#buffer.subarray(offset);
  }

  /** Bytes held waiting for the rest of a record. */
  get pending(): number {
    return this.#buffer.length;
  }
}

/** One or more records carrying `content` (split at 65535 bytes), each padded to 8 bytes. */
export function encodeRecords(type: number, requestId: number, content: Uint8Array = Buffer.alloc(0)): Buffer {
  if (content.length <= FCGI_MAX_CONTENT) return encodeOne(type, requestId, content);
  const parts: Buffer[] = [];
  for (let offset = 0; offset < content.length; offset += FCGI_MAX_CONTENT) {
    parts.push(encodeOne(type, requestId, content.subarray(offset, offset + FCGI_MAX_CONTENT)));
  }
  return Buffer.concat(parts);
}

function encodeOne(type: number, requestId: number, content: Uint8Array): Buffer {
  const padding = (8 - (content.length % 8)) % 8;
  const record = Buffer.allocUnsafe(HEADER_SIZE + content.length + padding);
  record[0] = FCGI_VERSION_1;
  record[1] = type;
  record.writeUInt16BE(requestId, 2);
  record.writeUInt16BE(content.length, 4);
  record[6] = padding;
  record[7] = 0;
  record.set(content, HEADER_SIZE);
  record.fill(0, HEADER_SIZE + content.length);
  return record;
}

export function encodeEndRequest(requestId: number, appStatus: number, protocolStatus: number): Buffer {
  const body = Buffer.alloc(8);
  body.writeUInt32BE(appStatus >>> 0, 0);
  body[4] = protocolStatus;
  return encodeRecords(RecordType.EndRequest, requestId, body);
}

export function encodeUnknownType(type: number): Buffer {
  const body = Buffer.alloc(8);
  body[0] = type;
  return encodeRecords(RecordType.UnknownType, FCGI_NULL_REQUEST_ID, body);
}

export interface BeginRequest {
  role: number;
  keepConnection: boolean;
}

export function decodeBeginRequest(content: Buffer): BeginRequest {
  if (content.length < 8) throw new FastCgiProtocolError('FCGI_BEGIN_REQUEST body is shorter than 8 bytes');
  return { role: content.readUInt16BE(0), keepConnection: (content[2]! & FLAG_KEEP_CONN) !== 0 };
}

/** Name-value pairs (section 3.4): lengths of 1 byte below 128, else 4 bytes with the top bit set. */
export function decodeNameValuePairs(content: Buffer): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  let offset = 0;
  const readLength = (): number => {
    if (offset >= content.length) throw new FastCgiProtocolError('name-value pair is truncated');
    const first = content[offset]!;
    if (first < 0x80) {
      offset += 1;
      return first;
    }
    if (offset + 4 > content.length) throw new FastCgiProtocolError('name-value pair length is truncated');
    const length = content.readUInt32BE(offset) & 0x7fffffff;
    offset += 4;
    return length;
  };
  while (offset < content.length) {
    const nameLength = readLength();
    const valueLength = readLength();
    if (offset + nameLength + valueLength > content.length) throw new FastCgiProtocolError('name-value pair is longer than its record');
    const name = content.toString('latin1', offset, offset + nameLength);
    offset += nameLength;
    pairs.push([name, content.toString('latin1', offset, offset + valueLength)]);
    offset += valueLength;
  }
  return pairs;
}

export function encodeNameValuePairs(pairs: Iterable<readonly [string, string]>): Buffer {
  const parts: Buffer[] = [];
  const length = (n: number): Buffer => {
    if (n < 0x80) return Buffer.from([n]);
    const b = Buffer.alloc(4);
    b.writeUInt32BE((n | 0x80000000) >>> 0);
    return b;
  };
  for (const [name, value] of pairs) {
    const nameBytes = Buffer.from(name, 'latin1');
    const valueBytes = Buffer.from(value, 'latin1');
    parts.push(length(nameBytes.length), length(valueBytes.length), nameBytes, valueBytes);
  }
  return Buffer.concat(parts);
}
