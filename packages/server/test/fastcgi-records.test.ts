import { describe, expect, it } from '@jest/globals';
import {
  decodeBeginRequest,
  decodeNameValuePairs,
  encodeEndRequest,
  encodeNameValuePairs,
  encodeRecords,
  FastCgiProtocolError,
  RecordParser,
  RecordType,
} from '../src/fastcgi/records';

const parseAll = (bytes: Buffer, chunkSize = bytes.length) => {
  const parser = new RecordParser();
  const records = [];
  for (let offset = 0; offset < bytes.length; offset += chunkSize) records.push(...parser.push(bytes.subarray(offset, offset + chunkSize)));
  return { records, pending: parser.pending };
};

describe('FastCGI records', () => {
  it('round-trips records padded to 8 bytes, however the bytes are split', () => {
    const bytes = Buffer.concat([
      encodeRecords(RecordType.Stdin, 1, Buffer.from('hello')),
      encodeRecords(RecordType.Stdin, 2, Buffer.from('')),
    ]);
    expect(bytes.length % 8).toBe(0);
    for (const chunkSize of [1, 3, 8, bytes.length]) {
      const { records, pending } = parseAll(bytes, chunkSize);
      expect(records.map((r) => [r.type, r.requestId, r.content.toString()])).toEqual([
        [RecordType.Stdin, 1, 'hello'],
        [RecordType.Stdin, 2, ''],
      ]);
      expect(pending).toBe(0);
    }
  });

  it('splits content above 65535 bytes into several records', () => {
    const content = Buffer.alloc(150_000, 7);
    const { records } = parseAll(encodeRecords(RecordType.Stdout, 9, content));
    expect(records.map((r) => r.content.length)).toEqual([65535, 65535, 150_000 - 2 * 65535]);
    expect(Buffer.concat(records.map((r) => r.content)).equals(content)).toBe(true);
  });

  it('rejects a stream that is not FastCGI', () => {
    expect(() => parseAll(Buffer.from('GET / HTTP/1.1\r\n\r\n'))).toThrow(FastCgiProtocolError);
  });

  it('encodes FCGI_END_REQUEST with the app status and protocol status', () => {
    const [record] = parseAll(encodeEndRequest(3, 1, 0)).records;
    expect(record!.type).toBe(RecordType.EndRequest);
    expect(record!.content.readUInt32BE(0)).toBe(1);
    expect(record!.content[4]).toBe(0);
  });

  it('decodes FCGI_BEGIN_REQUEST role and keep-connection flag', () => {
    expect(decodeBeginRequest(Buffer.from([0, 1, 1, 0, 0, 0, 0, 0]))).toEqual({ role: 1, keepConnection: true });
    expect(() => decodeBeginRequest(Buffer.from([0, 1]))).toThrow(FastCgiProtocolError);
  });

  it('round-trips name-value pairs with short and long (4-byte) lengths', () => {
    const pairs: Array<[string, string]> = [
      ['REQUEST_METHOD', 'GET'],
      ['HTTP_X_LONG', 'v'.repeat(300)],
      ['L'.repeat(200), ''],
    ];
    const encoded = encodeNameValuePairs(pairs);
    expect(encoded[0]).toBe('REQUEST_METHOD'.length);
    expect(decodeNameValuePairs(encoded)).toEqual(pairs);
  });

  it('rejects truncated name-value pairs', () => {
    const encoded = encodeNameValuePairs([['NAME', 'value']]);
    expect(() => decodeNameValuePairs(encoded.subarray(0, encoded.length - 2))).toThrow(FastCgiProtocolError);
  });
});
