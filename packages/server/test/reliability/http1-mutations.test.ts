/**
 * Mutated HTTP/1.1 requests against the HTTP/1.1 host: a valid request (method, target, headers,
 * a Content-Length or chunked body) with bytes replaced, inserted, deleted or lines doubled.
 * Whatever the mutation, the server answers only 200 or a 4xx, a 4xx closes the connection, an
 * accepted request is echoed exactly as the same request sent cleanly would be, and the server
 * keeps serving.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HeaderList } from '@portico/protocol';
import { readBody, respondJson } from '@portico/protocol/conformance';
import { Server } from '@portico/server';
import fc from 'fast-check';
import { httpApp, withTestHttp1 } from '../support/servers';
import { checkProperty } from '../../../framework/test/reliability/fuzz-settings';
import { exchange } from './raw-exchange';

interface Echo {
  method: string;
  target: string;
  headers: HeaderList;
  body: string;
}

const echoApp = httpApp(async (scope, receive, send) => {
  const { body } = await readBody(receive);
  const target = scope.rawPath + (scope.queryString === '' ? '' : `?${scope.queryString}`);
  await respondJson(send, { method: scope.method, target, headers: scope.headers, body: Buffer.from(body).toString('base64') } satisfies Echo);
});

interface Request {
  method: string;
  target: string;
  headers: Array<[string, string]>;
  body: Buffer;
  chunks: number[] | null;
}

const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,11}$/).filter((name) => !/^(host|content-length|transfer-encoding|connection|expect|upgrade|te|trailer)$/i.test(name));
const value = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,20}[\x21-\x7e])?$/);
const request: fc.Arbitrary<Request> = fc
  .record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
    target: fc.stringMatching(/^\/[A-Za-z0-9._~%-/]{0,20}(\?[A-Za-z0-9=&]{1,12})?$/).filter((target) => !/%(?![0-9A-Fa-f]{2})/.test(target)),
    headers: fc.array(fc.tuple(token, value), { maxLength: 4 }),
    body: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
    chunked: fc.boolean(),
    cuts: fc.array(fc.nat(64), { maxLength: 3 }),
  })
  .map(({ cuts, chunked, ...rest }) => ({ ...rest, chunks: chunked ? chunkSizes(rest.body.length, cuts) : null }));

function chunkSizes(length: number, cuts: number[]): number[] {
  const points = [...new Set(cuts.filter((cut) => cut > 0 && cut < length))].sort((a, b) => a - b);
  return [...points, length].map((point, i) => point - (points[i - 1] ?? 0)).filter((size) => size > 0);
}

/** The request's bytes: `Connection: close` so the server ends the exchange itself. */
function serialize(req: Request): Buffer {
  const head = [`${req.method} ${req.target} HTTP/1.1`, 'Host: fuzz', 'Connection: close', ...req.headers.map(([name, v]) => `${name}: ${v}`)];
  if (req.chunks === null) {
    head.push(`Content-Length: ${req.body.length}`);
    return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), req.body]);
  }
  head.push('Transfer-Encoding: chunked');
  const parts: Buffer[] = [Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1')];
  let at = 0;
  for (const size of req.chunks) {
    parts.push(Buffer.from(`${size.toString(16)}\r\n`), req.body.subarray(at, at + size), Buffer.from('\r\n'));
    at += size;
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

type Mutation =
  | { kind: 'none' }
  | { kind: 'replace'; at: number; byte: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'double-line'; line: number };

const interesting = fc.constantFrom(0x00, 0x09, 0x0a, 0x0d, 0x20, 0x22, 0x2c, 0x3a, 0x3b, 0x7f, 0x80, 0xff, 0x30, 0x66, 0x2d);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'none' as const }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), byte: fc.oneof(interesting, fc.nat(255)) }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 4 }) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 4 }) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('double-line' as const), line: fc.nat() }), weight: 2 },
);

function mutate(bytes: Buffer, m: Mutation): Buffer {
  const at = m.kind === 'none' || m.kind === 'double-line' ? 0 : m.at % (bytes.length + 1);
  switch (m.kind) {
    case 'none':
      return bytes;
    case 'replace':
      return Buffer.concat([bytes.subarray(0, at), Buffer.from([m.byte]), bytes.subarray(at + 1)]);
    case 'insert':
      return Buffer.concat([bytes.subarray(0, at), m.bytes, bytes.subarray(at)]);
    case 'delete':
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.length)]);
    case 'double-line': {
      const lines = bytes.toString('latin1').split('\r\n');
      const head = lines.indexOf('');
      const index = 1 + (m.line % Math.max(1, head - 1));
      lines.splice(index, 0, lines[index] ?? '');
      return Buffer.from(lines.join('\r\n'), 'latin1');
    }
  }
}

/** A well-formed request with `Connection: close` is answered and closed: wait long, a busy machine is slow. */
const WELL_FORMED_QUIET_MS = 3000;

describe('mutated HTTP/1.1 requests', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = new Server(echoApp, withTestHttp1({ port: 0, logLevel: 'critical', useColors: false, accessLog: false }));
    await server.start();
    port = server.address.kind === 'tcp' ? server.address.port : 0;
  });
  afterAll(() => server.close());

  /** What the server makes of the request: 'refused' or the echoes of what the app saw. */
  async function outcome(bytes: Buffer, quietMs: number): Promise<{ refused: boolean; echoes: Echo[] }> {
    const { responses, closed } = await exchange(port, bytes, quietMs);
    for (const response of responses) expect([200, 400, 408, 413, 431]).toContain(response.status);
    const refused = responses.some((response) => response.status !== 200);
    if (refused) {
      expect(responses.at(-1)?.status).not.toBe(200); // nothing answered after a refusal
      expect(closed).toBe(true);
    }
    return { refused, echoes: responses.filter((r) => r.status === 200).map((r) => JSON.parse(r.body.toString()) as Echo) };
  }

  /** The same request as the app saw it, sent again cleanly with Content-Length: the echo must be the same. */
  async function expectStableEcho(echo: Echo): Promise<void> {
    const headers = echo.headers.filter(([name]) => !/^(content-length|transfer-encoding|connection|host)$/.test(name)) as Array<[string, string]>;
    const host = echo.headers.find(([name]) => name === 'host')?.[1] ?? 'fuzz';
    const body = Buffer.from(echo.body, 'base64');
    const clean = Buffer.concat([
      Buffer.from(`${echo.method} ${echo.target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}Content-Length: ${body.length}\r\n\r\n`, 'latin1'),
      body,
    ]);
    const again = await outcome(clean, WELL_FORMED_QUIET_MS);
    expect(again.refused).toBe(false);
    const strip = (e: Echo): Echo => ({ ...e, headers: e.headers.filter(([name]) => !/^(content-length|transfer-encoding|connection)$/.test(name)) });
    expect(again.echoes.map(strip)).toEqual([strip(echo)]);
  }

  it('are refused with a 4xx and a closed connection, or echoed as their clean twin; the server keeps serving', async () => {
    await checkProperty(
      fc.asyncProperty(request, mutation, async (req, m) => {
        // A mutation may leave the server waiting for bytes that never come: then quiet ends the exchange.
        const { refused, echoes } = await outcome(mutate(serialize(req), m), m.kind === 'none' ? WELL_FORMED_QUIET_MS : 250);
        if (m.kind === 'none') {
          expect(refused).toBe(false);
          expect(echoes.map((e) => [e.method, e.target, Buffer.from(e.body, 'base64')])).toEqual([[req.method, req.target, req.body]]);
        }
        for (const echo of echoes) await expectStableEcho(echo);
      }),
      150,
    );
    const after = await outcome(serialize({ method: 'GET', target: '/after', headers: [], body: Buffer.alloc(0), chunks: null }), WELL_FORMED_QUIET_MS);
    expect(after.echoes.map((e) => e.target)).toEqual(['/after']);
  });
});
