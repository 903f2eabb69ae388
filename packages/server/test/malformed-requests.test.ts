/**
 * Malformed and smuggling-shaped requests: each gets 400 and a closed connection, and the app is
 * never called. Node's llhttp parser runs in strict mode; the host adds the checks llhttp leaves
 * to it (HTTP/0.9 request lines, undecodable paths).
 */
import { beforeEach, describe, expect, it } from '@jest/globals';
import { respond } from '@portico/protocol/conformance';
import { RawClient } from './support/raw-http';
import { httpApp, useServers, type TestServer } from './support/servers';

const start = useServers();

const cases: Array<[string, string]> = [
  ['Content-Length together with Transfer-Encoding (CL.TE)', 'POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n'],
  ['two different Content-Length headers', 'POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!'],
  ['two equal Content-Length headers', 'POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello'],
  ['a Content-Length that is not a number', 'POST / HTTP/1.1\r\nHost: t\r\nContent-Length: +5\r\n\r\nhello'],
  ['a Transfer-Encoding that does not end in chunked', 'POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked, gzip\r\n\r\nhello'],
  ['a chunk size that is not hexadecimal', 'POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n'],
  ['a chunk size that overflows', 'POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nhello\r\n0\r\n\r\n'],
  ['a chunk size line ended by a bare LF', 'POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n'],
  ['a space inside a header name', 'GET / HTTP/1.1\r\nHost: t\r\nBad Header: 1\r\n\r\n'],
  ['whitespace before the colon', 'GET / HTTP/1.1\r\nHost: t\r\nContent-Length : 0\r\n\r\n'],
  ['a NUL byte in a header value', 'GET / HTTP/1.1\r\nHost: t\r\nX-Value: a\x00b\r\n\r\n'],
  ['a bare CR in a header value', 'GET / HTTP/1.1\r\nHost: t\r\nX-Value: a\rb\r\n\r\n'],
  ['obsolete line folding', 'GET / HTTP/1.1\r\nHost: t\r\nX-Value: a\r\n b\r\n\r\n'],
  ['a request line without a version (HTTP/0.9)', 'GET /\r\nHost: t\r\n\r\n'],
  ['an unknown method', 'G(T / HTTP/1.1\r\nHost: t\r\n\r\n'],
  ['a space inside the target', 'GET /a b HTTP/1.1\r\nHost: t\r\n\r\n'],
  ['an unknown HTTP version', 'GET / HTTP/9.9\r\nHost: t\r\n\r\n'],
  ['an HTTP/1.1 request without Host', 'GET / HTTP/1.1\r\n\r\n'],
  ['a path with a stray percent sign', 'GET /100%zz HTTP/1.1\r\nHost: t\r\n\r\n'],
  ['a path whose percent-encoding is not UTF-8', 'GET /caf%E9 HTTP/1.1\r\nHost: t\r\n\r\n'],
];

describe('a malformed request', () => {
  let calls: string[];
  let served: TestServer;
  beforeEach(async () => {
    calls = [];
    served = await start(
      httpApp(async (scope, _receive, send) => {
        calls.push(`${scope.method} ${scope.rawPath}`);
        await respond(send, 200, 'the app answered');
      }),
    );
  });

  it.each(cases)('with %s gets 400, a closed connection, and never reaches the app', async (_name, request) => {
    const client = await RawClient.connect({ port: served.port });
    client.write(request);
    const response = await client.readResponse();
    const rest = await client.untilClosed();
    expect([response.status, response.header('connection')?.toLowerCase(), response.body.toString()]).toEqual([400, 'close', 'Bad Request']);
    expect(rest.length).toBe(0); // nothing smuggled behind it
    expect(calls).toEqual([]);
  });

  it('is logged as a warning that names the parse error and the peer', async () => {
    const client = await RawClient.connect({ port: served.port });
    client.write('GET / HTTP/1.1\r\nHost: t\r\nBad Header: 1\r\n\r\n');
    await client.untilClosed();
    expect(served.logs.join('\n')).toMatch(/WARNING: +Invalid HTTP request received from 127\.0\.0\.1:\d+: .*HPE_INVALID_HEADER_TOKEN/);
  });

  it('without Host is logged as a warning that says so', async () => {
    const client = await RawClient.connect({ port: served.port });
    client.write('GET / HTTP/1.1\r\n\r\n');
    await client.untilClosed();
    expect(served.logs.join('\n')).toMatch(/WARNING: +Invalid HTTP request received from 127\.0\.0\.1:\d+: no Host header/);
  });
});
