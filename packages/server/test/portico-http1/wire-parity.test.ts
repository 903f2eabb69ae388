/**
 * The two HTTP/1.1 implementations byte for byte: the same raw requests, sent to a `node:http` host
 * and to Portico's own (`http1: 'portico'`) serving the same app, get the same bytes back, the date
 * aside. The cases where the implementations differ on purpose are tested on their own (see
 * portico-host.test.ts and the server README, "HTTP/1.1 implementations").
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readBody, respond, text } from '@portico/protocol/conformance';
import { Server, type ServerOptions } from '@portico/server';
import { exchangeBytes } from '../support/raw-http';
import { httpApp } from '../support/servers';

const app = httpApp(async (scope, receive, send) => {
  const start = (status: number, headers: [string, string][] = []) => send({ type: 'http.response.start', status, headers });
  const part = (body: string, moreBody = true) => send({ type: 'http.response.body', body: Buffer.from(body), moreBody });
  switch (scope.path) {
    case '/echo': {
      const { body } = await readBody(receive);
      return respond(send, 200, `${scope.method} ${body.length}: ${text(body)}`);
    }
    case '/no-content':
      await start(204);
      return part('', false);
    case '/not-modified':
      await start(304, [['etag', '"v1"']]);
      return part('', false);
    case '/stream':
      await start(200, [['content-type', 'text/plain']]);
      await part('streamed ');
      return part('in parts', false);
    case '/own-length-stream':
      await start(200, [['content-length', '16']]);
      await part('streamed ');
      return part('in parts', false);
    case '/trailers':
      await send({ type: 'http.response.start', status: 200, headers: [['trailer', 'x-sum']], trailers: true });
      await part('row\n', false);
      return send({ type: 'http.response.trailers', headers: [['x-sum', '42']] });
    case '/hints':
      await send({ type: 'http.response.early_hint', links: ['</a.css>; rel=preload; as=style'] });
      return respond(send, 200, 'hinted');
    case '/app-closes':
      return respond(send, 200, 'bye', [['connection', 'close']]);
    case '/app-chunks':
      await start(200, [['transfer-encoding', 'chunked']]);
      await part('own ');
      return part('chunks', false);
    case '/unauthorized':
      return respond(send, 401, 'log in first');
    case '/throws':
      throw new Error('before the start');
    case '/cut':
      await start(200);
      await part('parti');
      throw new Error('mid-body');
    default:
      return respond(send, 200, `${scope.method} ${scope.rawPath}${scope.queryString === '' ? '' : `?${scope.queryString}`} HTTP/${scope.httpVersion} ${scope.headers.length}`);
  }
});

const H = 'Host: t\r\n';
const get = (path: string, extra = ''): string => `GET ${path} HTTP/1.1\r\n${H}${extra}\r\n`;
const post = (path: string, body: string, extra = ''): string => `POST ${path} HTTP/1.1\r\n${H}Content-Length: ${body.length}\r\n${extra}\r\n${body}`;
const chunked = (path: string, chunks: string): string => `POST ${path} HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n${chunks}`;

/** Raw request bytes, each sent in one write on a fresh connection. */
const CASES: Array<[name: string, raw: string]> = [
  ['a GET, kept alive, then one that closes', get('/a?x=1') + get('/b', 'Connection: close\r\n')],
  ['three pipelined requests, the last one closing', get('/1') + post('/echo', 'body') + get('/3', 'Connection: close\r\n')],
  ['HEAD', `HEAD /x HTTP/1.1\r\n${H}Connection: close\r\n\r\n`],
  ['HEAD of a streamed body', `HEAD /stream HTTP/1.1\r\n${H}\r\n${get('/after', 'Connection: close\r\n')}`],
  ['204 and 304', get('/no-content') + get('/not-modified', 'Connection: close\r\n')],
  ['a streamed body, chunked', get('/stream', 'Connection: close\r\n')],
  ['a streamed body under its own Content-Length', get('/own-length-stream') + get('/x', 'Connection: close\r\n')],
  ['trailers', get('/trailers', 'TE: trailers\r\nConnection: close\r\n')],
  ['early hints', get('/hints', 'Connection: close\r\n')],
  ['early hints to HTTP/1.0 (none)', 'GET /hints HTTP/1.0\r\n\r\n'],
  ["the app's own Connection: close", get('/app-closes') + get('/never')],
  ["the app's own Transfer-Encoding: chunked", get('/app-chunks', 'Connection: close\r\n')],
  ['a Content-Length body', post('/echo', 'hello', 'Connection: close\r\n')],
  ['a chunked body with an extension and trailers', chunked('/echo', '5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nx-t: 1\r\n\r\n') + get('/x', 'Connection: close\r\n')],
  ['HTTP/1.0, streamed (close-delimited)', 'GET /stream HTTP/1.0\r\n\r\n'],
  ['HTTP/1.0 keep-alive', `GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b HTTP/1.0\r\n\r\n`],
  ['HTTP/1.0 streamed, keep-alive asked', `GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n`],
  ['HTTP/1.0 streamed, TE: chunked', `GET /stream HTTP/1.0\r\nTE: chunked\r\nConnection: keep-alive\r\n\r\nGET /b HTTP/1.0\r\n\r\n`],
  ['Expect: 100-continue on HTTP/1.0 (ignored)', `POST /echo HTTP/1.0\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\nhi`],
  ['Expect: 100-continue, unread: no 100, closed', `POST /unauthorized HTTP/1.1\r\n${H}Content-Length: 5\r\nExpect: 100-continue\r\n\r\n`],
  ['an answer before the body is read: the body is dropped, the connection kept', post('/unauthorized', 'x'.repeat(1000)) + get('/next', 'Connection: close\r\n')],
  ['an app that throws before the start: 500', get('/throws') + get('/never')],
  ['an app that throws mid-body: cut', get('/cut') + get('/never')],
  ['an absolute-form target', get('http://t/abs?q=1', 'Connection: close\r\n')],
  ['a request pipelined after Connection: close', get('/a', 'Connection: close\r\n') + get('/smuggled')],
  ['no Host', 'GET / HTTP/1.1\r\n\r\n'],
  ['two Hosts', get('/', 'Host: u\r\n')],
  ['an undecodable path, a request behind', get('/caf%E9') + get('/behind')],
  ['Transfer-Encoding on HTTP/1.0', 'POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
  ['a bad header name', get('/', 'Bad Header: 1\r\n')],
  ['a bad chunk size after a good request', get('/first') + chunked('/echo', 'zz\r\n')],
  ['a head over maxHeaderSize', get('/', `X-Big: ${'a'.repeat(5000)}\r\n`)],
  ['a body over maxBodySize', post('/echo', 'x'.repeat(2000))],
  ['CONNECT', `CONNECT t:443 HTTP/1.1\r\n${H}\r\n`],
  ['an upgrade to h2c, answered as a plain request', `GET /up HTTP/1.1\r\n${H}Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n`],
  ['a WebSocket handshake without a key', `GET /ws HTTP/1.1\r\n${H}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n`],
];

/** The date is the only field that may differ between two runs. */
const undated = (bytes: Buffer): string => bytes.toString('latin1').replace(/^date: [^\r]*\r\n/gim, 'date: (now)\r\n');

describe('node:http and Portico HTTP/1.1 hosts answer alike', () => {
  const servers = new Map<string, Server>();
  const ports = new Map<string, number>();
  beforeAll(async () => {
    for (const http1 of ['node', 'portico'] as const) {
      const options: ServerOptions = { port: 0, http1, logLevel: 'critical', maxHeaderSize: 4096, maxBodySize: 1024, lifespan: 'off' };
      const server = new Server(app, options);
      await server.start();
      servers.set(http1, server);
      ports.set(http1, server.address.kind === 'tcp' ? server.address.port : 0);
    }
  });
  afterAll(() => Promise.all([...servers.values()].map((server) => server.close())));

  it.each(CASES)('%s', async (_name, raw) => {
    const [node, portico] = await Promise.all([exchangeBytes(ports.get('node') as number, raw), exchangeBytes(ports.get('portico') as number, raw)]);
    expect(undated(portico.bytes)).toBe(undated(node.bytes));
    expect(portico.closed).toBe(node.closed);
  });
});
