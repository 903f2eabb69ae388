import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { HttpReceiveEvent } from '@portico/protocol';
import { resolveConfig } from '@portico/server';
import { decodeNameValuePairs, encodeNameValuePairs, encodeRecords, ProtocolStatus, RecordType, Role } from '../src/fastcgi/records';
import { FIXTURES, usePortico } from './support/cli';
import { FastCgiClient, requestParams } from './support/fastcgi-client';
import { deferred, httpApp, useServers } from './support/servers';

const start = useServers();
const fastcgi = { interface: 'fastcgi' as const, logLevel: 'info' as const };

const echoApp = httpApp(async (scope, receive, send) => {
  const chunks: Uint8Array[] = [];
  for (;;) {
    const event = await receive();
    if (event.type === 'http.disconnect') return;
    chunks.push(event.body);
    if (!event.moreBody) break;
  }
  const body = Buffer.concat([Buffer.from(`${scope.method} ${scope.rootPath}|${scope.path}|${scope.rawPath}|${scope.queryString} `), ...chunks]);
  await send({ type: 'http.response.start', status: 200, headers: [['content-type', 'text/plain'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']] });
  await send({ type: 'http.response.body', body });
});

describe('FastCGI host, record by record', () => {
  it('answers a request with a CGI head on FCGI_STDOUT, then FCGI_END_REQUEST', async () => {
    const { port } = await start(echoApp, fastcgi);
    const client = await FastCgiClient.connect(port);
    client.begin(1, requestParams('POST', '/caf%C3%A9?x=1', [['CONTENT_LENGTH', '5'], ['CONTENT_TYPE', 'text/plain']]));
    client.stdin(1, 'hel');
    client.stdin(1, 'lo');
    client.stdin(1);
    const response = await client.response(1);
    const body = 'POST |/café|/caf%C3%A9|x=1 hello';
    const length = `content-length: ${Buffer.byteLength(body)}`;
    expect(response.head.split('\r\n')).toEqual(['Status: 200 OK', 'content-type: text/plain', 'set-cookie: a=1', 'set-cookie: b=2', length]);
    expect(response.body).toBe(body);
    expect(response.protocolStatus).toBe(ProtocolStatus.RequestComplete);
    expect(client.isClosed).toBe(false); // FCGI_KEEP_CONN
    client.close();
  });

  it('maps SCRIPT_NAME and PATH_INFO to rootPath and path, keeping the raw path from REQUEST_URI', async () => {
    const { port } = await start(echoApp, fastcgi);
    const client = await FastCgiClient.connect(port);
    client.begin(1, [...requestParams('GET', '/app/a%2Fb/c'), ['SCRIPT_NAME', '/app'], ['PATH_INFO', '/a/b/c']]);
    client.stdin(1);
    expect((await client.response(1)).body).toBe('GET /app|/a/b/c|/a%2Fb/c| ');
    client.close();
  });

  it('joins a header nginx sent twice (one HTTP_* pair per repeat) with ", ", cookies with "; "', async () => {
    const { port } = await start(
      httpApp(async (scope, _receive, send) => {
        await send({ type: 'http.response.start', status: 200 });
        await send({ type: 'http.response.body', body: Buffer.from(JSON.stringify(scope.headers)) });
      }),
      fastcgi,
    );
    const client = await FastCgiClient.connect(port);
    client.begin(1, requestParams('GET', '/', [['HTTP_ACCEPT', 'text/html'], ['HTTP_COOKIE', 'a=1'], ['HTTP_ACCEPT', 'text/plain'], ['HTTP_COOKIE', 'b=2']]));
    client.stdin(1);
    expect(JSON.parse((await client.response(1)).body)).toEqual([
      ['accept', 'text/html, text/plain'],
      ['cookie', 'a=1; b=2'],
    ]);
    client.close();
  });

  it('answers 500 for a response header that would split the CGI head, and leaves Status and connection fields to the server', async () => {
    const { port, logs } = await start(
      httpApp(async (scope, _receive, send) => {
        const value = scope.path === '/split' ? 'a\r\nStatus: 302' : 'ignored';
        await send({ type: 'http.response.start', status: 299, headers: [['x-value', value], ['status', '404'], ['Connection', 'close'], ['transfer-encoding', 'chunked']] });
        await send({ type: 'http.response.body', body: Buffer.from('ok') });
      }),
      fastcgi,
    );
    const client = await FastCgiClient.connect(port);
    client.begin(1, requestParams('GET', '/split'));
    client.stdin(1);
    expect((await client.response(1)).head).toMatch(/^Status: 500 Internal Server Error\r\n/);
    expect(logs.join('\n')).toContain("Invalid value for response header 'x-value': CR, LF and NUL are not allowed");
    client.begin(2, requestParams('GET', '/plain'));
    client.stdin(2);
    expect((await client.response(2)).head.split('\r\n')).toEqual(['Status: 299', 'x-value: ignored', 'content-length: 2']);
    client.close();
  });

  it('believes proxy headers only when REMOTE_ADDR is a trusted proxy', async () => {
    const { port } = await start(
      httpApp(async (scope, _receive, send) => {
        await send({ type: 'http.response.start', status: 200 });
        await send({ type: 'http.response.body', body: Buffer.from(JSON.stringify({ client: scope.client, scheme: scope.scheme })) });
      }),
      { ...fastcgi, forwardedAllowIps: '10.0.0.0/8' },
    );
    const client = await FastCgiClient.connect(port);
    const forwarded: Array<[string, string]> = [['HTTP_X_FORWARDED_FOR', '203.0.113.9'], ['HTTP_X_FORWARDED_PROTO', 'https']];
    client.begin(1, [...requestParams('GET', '/'), ['REMOTE_ADDR', '10.1.2.3'], ...forwarded]);
    client.stdin(1);
    expect(JSON.parse((await client.response(1)).body)).toEqual({ client: { host: '203.0.113.9', port: 0 }, scheme: 'https' });
    client.begin(2, [...requestParams('GET', '/'), ['REMOTE_ADDR', '198.51.100.1'], ...forwarded]);
    client.stdin(2);
    expect(JSON.parse((await client.response(2)).body)).toEqual({ client: { host: '198.51.100.1', port: 40000 }, scheme: 'http' });
    client.close();
  });

  it('serves multiplexed requests on one connection independently', async () => {
    const { port } = await start(echoApp, fastcgi);
    const client = await FastCgiClient.connect(port);
    client.begin(1, requestParams('POST', '/slow', [['CONTENT_LENGTH', '4']]));
    client.stdin(1, 'sl');
    client.begin(2, requestParams('GET', '/fast'));
    client.stdin(2);
    // Request 2 is answered while request 1 still waits for the rest of its body.
    expect((await client.response(2)).body).toBe('GET |/fast|/fast| ');
    expect(client.ended(1)).toBeUndefined();
    client.stdin(1, 'ow');
    client.stdin(1);
    expect((await client.response(1)).body).toBe('POST |/slow|/slow| slow');
    client.close();
  });

  it('stops reading the connection while the app does not read the body (back-pressure)', async () => {
    const order: string[] = [];
    const release = deferred();
    const { port } = await start(
      httpApp(async (_scope, receive, send) => {
        await release.promise;
        order.push('app reads');
        let length = 0;
        for (;;) {
          const event = await receive();
          if (event.type !== 'http.request') return;
          length += event.body.length;
          if (!event.moreBody) break;
        }
        await send({ type: 'http.response.start', status: 200 });
        await send({ type: 'http.response.body', body: Buffer.from(String(length)) });
      }),
      fastcgi,
    );
    const client = await FastCgiClient.connect(port);
    const body = Buffer.alloc(4 * 1024 * 1024, 'b');
    client.begin(1, requestParams('POST', '/', [['CONTENT_LENGTH', String(body.length)]]));
    client.stdin(1, body);
    client.stdin(1);
    // Queued behind the body: answered only once the paused connection is read again.
    client.write(encodeRecords(RecordType.GetValues, 0, encodeNameValuePairs([['FCGI_MPXS_CONNS', '']])));
    const answered = client.until(() => client.records.some((r) => r.type === RecordType.GetValuesResult), 'FCGI_GET_VALUES_RESULT').then(() => order.push('values answered'));
    // The pause only gives a host without back-pressure the time to answer first.
    await new Promise((resolve) => setTimeout(resolve, 100));
    release.resolve();
    expect((await client.response(1)).body).toBe(String(body.length));
    await answered;
    expect(order).toEqual(['app reads', 'values answered']);
    client.close();
  });

  it('answers FCGI_GET_VALUES with the values it knows', async () => {
    const { port } = await start(echoApp, { ...fastcgi, limitConcurrency: 50 });
    const client = await FastCgiClient.connect(port);
    const asked = encodeNameValuePairs([['FCGI_MAX_CONNS', ''], ['FCGI_MAX_REQS', ''], ['FCGI_MPXS_CONNS', ''], ['X_UNKNOWN', '']]);
    client.write(encodeRecords(RecordType.GetValues, 0, asked));
    await client.until(() => client.records.some((r) => r.type === RecordType.GetValuesResult), 'FCGI_GET_VALUES_RESULT');
    const result = client.records.find((r) => r.type === RecordType.GetValuesResult)!;
    expect(result.requestId).toBe(0);
    expect(decodeNameValuePairs(result.content)).toEqual([
      ['FCGI_MAX_CONNS', '50'],
      ['FCGI_MAX_REQS', '50'],
      ['FCGI_MPXS_CONNS', '1'],
    ]);
    client.close();
  });

  it('turns FCGI_ABORT_REQUEST into http.disconnect and ends the request', async () => {
    const seen = deferred<string>();
    const reading = deferred();
    const { port } = await start(
      httpApp(async (scope, receive, send) => {
        let event: HttpReceiveEvent;
        do {
          event = await receive();
          reading.resolve();
        } while (event.type === 'http.request' && event.moreBody);
        if (scope.path === '/upload') seen.resolve(event.type);
        else await send({ type: 'http.response.start', status: 204 });
      }),
      fastcgi,
    );
    const client = await FastCgiClient.connect(port);
    client.begin(1, requestParams('POST', '/upload', [['CONTENT_LENGTH', '100']]));
    client.stdin(1, 'part of it');
    await reading.promise;
    client.write(encodeRecords(RecordType.AbortRequest, 1));
    expect(await seen.promise).toBe('http.disconnect');
    expect((await client.response(1)).protocolStatus).toBe(ProtocolStatus.RequestComplete);
    // The connection serves on.
    client.begin(2, requestParams('GET', '/'));
    client.stdin(2);
    await client.until(() => client.ended(2) !== undefined, 'request 2 ended');
    client.close();
  });

  it('answers record types it does not know with FCGI_UNKNOWN_TYPE, and other roles with FCGI_UNKNOWN_ROLE', async () => {
    const { port, logs } = await start(echoApp, fastcgi);
    const client = await FastCgiClient.connect(port);
    client.write(encodeRecords(42, 0, Buffer.alloc(0)));
    client.write(encodeRecords(77, 3, Buffer.from('?')));
    await client.until(() => client.records.filter((r) => r.type === RecordType.UnknownType).length === 2, 'two FCGI_UNKNOWN_TYPE');
    expect(client.records.filter((r) => r.type === RecordType.UnknownType).map((r) => [r.requestId, r.content[0]])).toEqual([
      [0, 42],
      [0, 77],
    ]);
    client.begin(5, requestParams('GET', '/'), { role: Role.Authorizer });
    expect((await client.response(5)).protocolStatus).toBe(ProtocolStatus.UnknownRole);
    expect(logs.join('\n')).toContain('asked for role 2; Portico is a responder (role 1) only');
    client.close();
  });

  it('closes the connection with a logged error on bytes that are not FastCGI', async () => {
    const { port, logs } = await start(echoApp, fastcgi);
    const client = await FastCgiClient.connect(port);
    client.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    await client.closed;
    expect(logs.join('\n')).toMatch(/ERROR: +Malformed FastCGI from 127\.0\.0\.1:\d+, closing the connection: unsupported FastCGI version 71/);
    const twice = await FastCgiClient.connect(port);
    twice.begin(1, requestParams('GET', '/'));
    twice.begin(1, requestParams('GET', '/'));
    await twice.closed;
    expect(logs.join('\n')).toContain('FCGI_BEGIN_REQUEST for request 1, which is already active');
    const wrongWay = await FastCgiClient.connect(port);
    wrongWay.write(encodeRecords(RecordType.Stdout, 1, Buffer.from('x')));
    await wrongWay.closed;
    expect(logs.join('\n')).toContain('the web server sent FCGI_STDOUT, a record only an application sends');
  });

  it('answers 400 for params that are not a request and 431 for params over the limit', async () => {
    const { port, logs } = await start(echoApp, { ...fastcgi, maxHeaderSize: 1024 });
    const client = await FastCgiClient.connect(port);
    client.begin(1, [['REQUEST_URI', '/']]);
    expect((await client.response(1)).head).toMatch(/^Status: 400 Bad Request/);
    expect(logs.join('\n')).toContain('Invalid FastCGI request 1: REQUEST_METHOD must be an HTTP method');
    client.begin(2, requestParams('GET', '/', [['HTTP_X_BIG', 'x'.repeat(6000)]]));
    expect((await client.response(2)).head).toMatch(/^Status: 431 Request Header Fields Too Large/);
    client.close();
  });

  it('closes the connection after the response when the web server did not ask to keep it', async () => {
    const { port } = await start(echoApp, fastcgi);
    const client = await FastCgiClient.connect(port);
    client.begin(1, requestParams('GET', '/'), { keepConnection: false });
    client.stdin(1);
    await client.closed;
    expect(client.ended(1)).toBeDefined();
  });

  it('shuts down gracefully: the request in flight finishes, then the connection ends', async () => {
    const release = deferred();
    const called = deferred();
    const { port, server } = await start(
      httpApp(async (_scope, _receive, send) => {
        called.resolve();
        await release.promise;
        await send({ type: 'http.response.start', status: 200 });
        await send({ type: 'http.response.body', body: Buffer.from('finished') });
      }),
      fastcgi,
    );
    const client = await FastCgiClient.connect(port);
    client.begin(1, requestParams('GET', '/'));
    client.stdin(1);
    await called.promise;
    const closing = server.close();
    release.resolve();
    expect((await client.response(1)).body).toBe('finished');
    await client.closed;
    await closing;
  });
});

describe('portico serve --interface fastcgi', () => {
  const portico = usePortico();

  it('serves the app as a FastCGI responder, announced as fastcgi://', async () => {
    const running = portico(['serve', join(FIXTURES, 'echo-app.js'), '--interface', 'fastcgi', '--port', '0']);
    const origin = await running.origin();
    expect(origin).toMatch(/^fastcgi:\/\/127\.0\.0\.1:\d+$/); // no http:// a browser would try
    const port = Number(new URL(origin).port);
    const client = await FastCgiClient.connect(port);
    client.begin(1, requestParams('POST', '/', [['CONTENT_LENGTH', '2']]));
    client.stdin(1, 'hi');
    client.stdin(1);
    expect((await client.response(1)).body).toBe('hi');
    client.close();
  });

  it('refuses TLS options: the web server in front terminates HTTPS', async () => {
    const running = portico(['serve', join(FIXTURES, 'echo-app.js'), '--interface', 'fastcgi', '--ssl-keyfile', 'k.pem', '--ssl-certfile', 'c.pem']);
    expect((await running.exited).code).toBe(1);
    expect(running.output()).toContain('--interface');
  });

  it('names the interfaces it knows', () => {
    expect(() => resolveConfig({ interface: 'spdy' as 'http' })).toThrow(/Invalid option 'interface': got 'spdy'; expected 'http' \(HTTP\/1.1 clients\) or 'fastcgi'/);
  });
});
