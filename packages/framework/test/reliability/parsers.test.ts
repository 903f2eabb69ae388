/**
 * Round trips and hostile input for the framework's small parsers: cookies, query strings, path
 * patterns and Range headers into FileResponse.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { App, CookieError, FileResponse, parseCookies, PathPattern, QueryParams, Route, setCookieHeader, TestClient } from '@portico/framework';
import fc from 'fast-check';
import { checkProperty } from './fuzz-settings';

describe('cookies', () => {
  const name = fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,12}$/);
  it('setCookieHeader then parseCookies gives the value back, whatever its characters', async () => {
    await checkProperty(
      fc.property(name, fc.string({ unit: 'grapheme', maxLength: 20 }), (cookieName, value) => {
        const header = setCookieHeader(cookieName, value);
        const pair = header.split(';')[0] as string;
        expect(parseCookies([pair])[cookieName]).toBe(value);
      }),
      500,
    );
  });

  it('setCookieHeader refuses a name it cannot write with CookieError; parseCookies never throws', async () => {
    await checkProperty(
      fc.property(fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 40 }), (cookieName, header) => {
        try {
          setCookieHeader(cookieName, 'v');
        } catch (error) {
          expect(error).toBeInstanceOf(CookieError);
        }
        const cookies = parseCookies([header]);
        for (const value of Object.values(cookies)) expect(typeof value).toBe('string');
      }),
      500,
    );
  });
});

describe('QueryParams', () => {
  it('reads what URLSearchParams wrote: the same pairs, in order, repeats kept', async () => {
    await checkProperty(
      fc.property(fc.array(fc.tuple(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 8 })), { maxLength: 6 }), (pairs) => {
        const query = new QueryParams(new URLSearchParams(pairs).toString());
        expect([...query]).toEqual(pairs);
        for (const [key] of pairs) expect(query.getAll(key)).toEqual(pairs.filter(([k]) => k === key).map(([, v]) => v));
      }),
      500,
    );
  });

  it('agrees with URLSearchParams on any query string', async () => {
    await checkProperty(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (text) => {
        expect([...new QueryParams(text)]).toEqual([...new URLSearchParams(text)]);
      }),
      500,
    );
  });
});

describe('PathPattern', () => {
  const segment = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }).filter((text) => !text.includes('/'));
  it('matches what urlPathFor formats, with the same parameters back (str, int, uuid, path)', async () => {
    const pattern = new PathPattern('/users/:name/items/:id<int>/:key<uuid>/*rest<path>');
    await checkProperty(
      fc.property(segment, fc.nat({ max: Number.MAX_SAFE_INTEGER }), fc.uuid(), fc.array(segment, { minLength: 1, maxLength: 3 }), (name, id, key, rest) => {
        const params = { name, id, key: key.toLowerCase(), rest: rest.join('/') };
        const path = decodeURIComponent(pattern.format(params));
        expect(pattern.match(path)?.params).toEqual(params);
      }),
      500,
    );
  });

  it('never throws on a random path: a match or null', async () => {
    const patterns = ['/a/:x', '/f/:n<float>', '/u/:id<int>{/:opt}', '/s/*rest<path>', '/'].map((source) => new PathPattern(source));
    await checkProperty(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (path) => {
        for (const pattern of patterns) {
          const match = pattern.match(`/${path}`);
          if (match !== null) expect(typeof match.matched).toBe('string');
        }
      }),
      500,
    );
  });
});

describe('Range headers into FileResponse', () => {
  let dir: string;
  let client: TestClient;
  const content = Buffer.from(Array.from({ length: 300 }, (_, i) => i % 251));
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'portico-ranges-'));
    writeFileSync(join(dir, 'file.bin'), content);
    client = new TestClient(new App({ routes: [new Route('/file', () => new FileResponse(join(dir, 'file.bin')))] }), { raiseServerExceptions: false });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const spec = fc.oneof(
    fc.tuple(fc.nat(400), fc.option(fc.nat(400))).map(([start, end]) => `${start}-${end ?? ''}`),
    fc.nat(400).map((n) => `-${n}`),
    fc.constantFrom('', '-', 'x-1', '1-x', ' 1 - 2 ', '99999999999999999999-'),
  );
  const header = fc.oneof(
    fc.array(spec, { minLength: 1, maxLength: 4 }).map((specs) => `bytes=${specs.join(',')}`),
    fc.string({ maxLength: 20 }),
    fc.constantFrom('bytes=', 'BYTES=0-1', 'items=0-1', 'bytes=0-0,-1'),
  );

  it('answers 200, 206 or 416, never 500, and a 206 carries the bytes it names', async () => {
    await checkProperty(
      fc.asyncProperty(header, async (range) => {
        const response = await client.get('/file', { headers: { range } });
        expect([200, 206, 416]).toContain(response.status);
        if (response.status === 200) expect(Buffer.from(response.body).equals(content)).toBe(true);
        if (response.status === 206) {
          const single = /^bytes (\d+)-(\d+)\/300$/.exec(response.headers.get('content-range') ?? '');
          if (single !== null) expect(Buffer.from(response.body).equals(content.subarray(Number(single[1]), Number(single[2]) + 1))).toBe(true);
          else expect(response.headers.get('content-type')).toMatch(/^multipart\/byteranges; boundary=/);
        }
      }),
      300,
    );
  });
});
