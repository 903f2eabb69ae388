/**
 * Hostile multipart bodies into `request.form()` through the TestClient: valid forms with bytes
 * replaced, inserted or cut, odd boundaries, delivered in random pieces. The answer is 200 or a
 * 400/413/415/422, never a crash, and no temp file is left in the upload directory.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { App, JSONResponse, Route, TestClient, UploadFile } from '@portico/framework';
import fc from 'fast-check';
import { inPieces, multipart, type Part } from '../support/multipart';
import { checkProperty } from './fuzz-settings';

let tempDir: string;
beforeAll(() => {
  tempDir = mkdtempSync(join(tmpdir(), 'portico-form-fuzz-'));
});
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

const client = new TestClient(
  new App({
    routes: [
      new Route(
        '/form',
        async (request) => {
          // A tiny spool threshold sends every file past 8 bytes to disk, where leaks would show.
          const form = await request.form({ tempDir, spoolMaxSize: 8, maxPartSize: 256, maxFileSize: 512, maxFields: 5, maxFiles: 3 });
          const sizes: number[] = [];
          for (const [, value] of form) sizes.push(value instanceof UploadFile ? (await value.read()).length : Buffer.byteLength(value));
          return new JSONResponse({ sizes });
        },
        { methods: ['POST'] },
      ),
    ],
  }),
  { raiseServerExceptions: false },
);

const part: fc.Arbitrary<Part> = fc.record(
  {
    name: fc.string({ maxLength: 8 }),
    value: fc.oneof(fc.string({ maxLength: 40 }), fc.uint8Array({ maxLength: 600 })),
    filename: fc.string({ maxLength: 8 }),
    contentType: fc.constantFrom('text/plain', 'application/octet-stream', 'x/\u00e9'),
  },
  { requiredKeys: ['name', 'value'] },
);

type Mutation = { kind: 'none' } | { kind: 'replace' | 'insert' | 'cut'; at: number; bytes: Uint8Array };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  fc.record({ kind: fc.constantFrom('replace' as const, 'insert' as const, 'cut' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 6 }) }),
);

function mutate(body: Buffer, m: Mutation): Buffer {
  if (m.kind === 'none') return body;
  const at = m.at % (body.length + 1);
  if (m.kind === 'cut') return body.subarray(0, at);
  return Buffer.concat([body.subarray(0, at), m.bytes, body.subarray(m.kind === 'replace' ? at + m.bytes.length : at)]);
}

const boundary = fc.oneof(fc.constant('----portico-fuzz'), fc.stringMatching(/^[A-Za-z0-9'()+_,./:=? -]{1,70}$/).filter((b) => !b.endsWith(' ')));
const contentType = fc.oneof(
  boundary.map((b) => `multipart/form-data; boundary=${b.includes(' ') || b.includes(':') ? `"${b}"` : b}`),
  fc.constantFrom('multipart/form-data', 'multipart/form-data; boundary=', 'multipart/form-data; boundary="unterminated', 'multipart/mixed; boundary=x'),
);

describe('hostile multipart bodies', () => {
  it('regression: a file part with an empty name is a form entry named "" (it was a TypeError, a 500)', async () => {
    const { body } = multipart([{ name: '', value: new Uint8Array(), contentType: 'application/octet-stream' }], ':');
    const response = await client.post('/form', { body: inPieces(body, 1), headers: { 'content-type': 'multipart/form-data; boundary=":"' } });
    expect([response.status, response.json()]).toEqual([200, { sizes: [0] }]);
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('get 200 or 400/413/415/422, and leave no temp file behind', async () => {
    await checkProperty(
      fc.asyncProperty(fc.array(part, { maxLength: 6 }), boundary, contentType, mutation, fc.integer({ min: 1, max: 64 }), async (parts, b, type, m, piece) => {
        const { body } = multipart(parts, b);
        const declared = m.kind === 'none' ? `multipart/form-data; boundary="${b}"` : type;
        const response = await client.post('/form', { body: inPieces(mutate(body, m), piece), headers: { 'content-type': declared } });
        expect([200, 400, 413, 415, 422]).toContain(response.status); // 415: not a form media type at all
        expect(readdirSync(tempDir)).toEqual([]);
      }),
      200,
    );
  });

  it('an unchanged form within the limits comes back whole', async () => {
    await checkProperty(
      fc.asyncProperty(fc.array(part, { maxLength: 3 }), async (parts) => {
        // Text for fields (busboy decodes them), bytes for files; names without quotes or line breaks.
        const small = parts.map(({ contentType, ...p }) => (p.filename === undefined ? { ...p, value: String(p.value) } : { ...p, ...(contentType === undefined ? {} : { contentType }), value: Buffer.from(p.value).subarray(0, 200) }));
        const { body, headers } = multipart(small.map((p) => ({ ...p, name: p.name.replace(/["\r\n\\]/g, '') || 'n', ...(p.filename === undefined ? {} : { filename: p.filename.replace(/["\r\n\\]/g, '') || 'f' }) })), '----portico-fuzz');
        const response = await client.post('/form', { body, headers });
        expect(response.status).toBe(200);
        expect((response.json() as { sizes: number[] }).sizes).toEqual(small.map((p) => Buffer.byteLength(p.value)));
        expect(readdirSync(tempDir)).toEqual([]);
      }),
      100,
    );
  });
});
