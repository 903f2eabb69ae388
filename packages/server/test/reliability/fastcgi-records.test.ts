/**
 * Random record streams into the FastCGI host over a socket: well-formed records of any type,
 * request id and content, mixed with raw bytes. The host never crashes and serves a valid request
 * on a new connection afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readBody, respond } from '@portico/protocol/conformance';
import { Server } from '@portico/server';
import fc from 'fast-check';
import { encodeNameValuePairs, encodeRecords, RecordType } from '../../src/fastcgi/records';
import { FastCgiClient, requestParams } from '../support/fastcgi-client';
import { httpApp } from '../support/servers';
import { checkProperty } from '../../../framework/test/reliability/fuzz-settings';

const app = httpApp(async (scope, receive, send) => {
  const { body } = await readBody(receive);
  await respond(send, 200, `${scope.method} ${scope.path} ${body.length}`);
});

const beginBody = fc.tuple(fc.constantFrom(0, 1, 2, 3, 9, 0xffff), fc.nat(255)).map(([role, flags]) => {
  const body = Buffer.alloc(8);
  body.writeUInt16BE(role, 0);
  body[2] = flags;
  return body;
});
const params = fc.array(fc.tuple(fc.oneof(fc.constantFrom('REQUEST_METHOD', 'REQUEST_URI', 'CONTENT_LENGTH', 'PATH_INFO', 'HTTP_HOST'), fc.string({ maxLength: 6 })), fc.string({ maxLength: 10 })), { maxLength: 4 });
const content = fc.oneof(beginBody, params.map((pairs) => encodeNameValuePairs(pairs)), fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes)));
const record = fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 3 }), content).map(([type, id, body]) => encodeRecords(type, id, body));
/** A record header claiming more than follows, a bad version, or bytes that are no record at all. */
const garbage = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 24 }).map((bytes) => Buffer.from(bytes)),
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(0xffff), fc.nat(0xffff)).map(([version, type, id, length]) => {
    const header = Buffer.alloc(8);
    header[0] = version;
    header[1] = type;
    header.writeUInt16BE(id, 2);
    header.writeUInt16BE(length, 4);
    return header;
  }),
);

describe('random FastCGI record streams', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = new Server(app, { interface: 'fastcgi', port: 0, logLevel: 'critical', useColors: false });
    await server.start();
    port = server.address.kind === 'tcp' ? server.address.port : 0;
  });
  afterAll(() => server.close());

  async function expectServing(): Promise<void> {
    const client = await FastCgiClient.connect(port);
    try {
      client.begin(1, requestParams('POST', '/ok', [['CONTENT_LENGTH', '2']]));
      client.stdin(1, 'hi');
      client.stdin(1);
      const response = await client.response(1);
      expect(response.body).toBe('POST /ok 2');
    } finally {
      client.close();
    }
  }

  it('never crash the host, which serves the next connection', async () => {
    await checkProperty(
      fc.asyncProperty(fc.array(fc.oneof({ arbitrary: record, weight: 4 }, { arbitrary: garbage, weight: 1 }), { minLength: 1, maxLength: 8 }), async (parts) => {
        const client = await FastCgiClient.connect(port);
        client.write(Buffer.concat(parts));
        await Promise.race([client.closed, new Promise((resolve) => setTimeout(resolve, 40))]);
        client.close();
        for (const answer of client.records) expect(answer.type === RecordType.Stdout || answer.type === RecordType.Stderr || answer.type === RecordType.EndRequest || answer.type === RecordType.GetValuesResult || answer.type === RecordType.UnknownType).toBe(true);
      }),
      120,
    );
    await expectServing();
  });
});
