/** The HTTP scope the host builds from what came over the wire. */
import { expect, it } from '@jest/globals';
import type { HttpScope } from '@portico/protocol';
import { respondJson } from '@portico/protocol/conformance';
import { RawClient } from './support/raw-http';
import { httpApp, useServers } from './support/servers';

const start = useServers();

/** Send `request` raw and return the scope the app saw (minus the parts JSON cannot carry). */
async function scopeFor(request: string | Buffer, options = {}): Promise<{ scope: HttpScope; ports: { local: number | undefined; remote: number | undefined } }> {
  const { port } = await start(
    httpApp(async (scope, _receive, send) => respondJson(send, scope)),
    options,
  );
  const client = await RawClient.connect({ port });
  const ports = { local: client.socket.localPort, remote: client.socket.remotePort };
  client.write(request);
  const response = await client.readResponse();
  client.close();
  return { scope: JSON.parse(response.body.toString()) as HttpScope, ports };
}

it('splits an absolute-form target (as sent to a proxy) into path and raw query', async () => {
  const { scope } = await scopeFor('GET http://example.com/a%20b/c?x=%2F&y HTTP/1.1\r\nHost: example.com\r\n\r\n');
  expect([scope.path, scope.rawPath, scope.queryString]).toEqual(['/a b/c', '/a%20b/c', 'x=%2F&y']);
});

it('keeps the asterisk target of OPTIONS *', async () => {
  const { scope } = await scopeFor('OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n');
  expect([scope.method, scope.path, scope.rawPath]).toEqual(['OPTIONS', '*', '*']);
});

it('gives client and server as the two ends of the connection', async () => {
  const { scope, ports } = await scopeFor('GET / HTTP/1.1\r\nHost: t\r\n\r\n');
  expect(scope.client).toEqual({ host: '127.0.0.1', port: ports.local });
  expect(scope.server).toEqual({ host: '127.0.0.1', port: ports.remote });
});

it('lower-cases header names and keeps values as latin1, in order, with repeats', async () => {
  const request = Buffer.concat([
    Buffer.from('GET / HTTP/1.1\r\nHost: t\r\nX-Name: caf'),
    Buffer.from([0xe9]),
    Buffer.from('\r\nSet-Thing: 1\r\nset-thing: 2\r\n\r\n'),
  ]);
  const { scope } = await scopeFor(request);
  expect(scope.headers).toEqual([
    ['host', 't'],
    ['x-name', 'café'],
    ['set-thing', '1'],
    ['set-thing', '2'],
  ]);
});

it('reports the HTTP version of the request', async () => {
  const { scope } = await scopeFor('GET / HTTP/1.0\r\n\r\n');
  expect([scope.httpVersion, scope.scheme, scope.type]).toEqual(['1.0', 'http', 'http']);
});

it('puts the rootPath option in scope.rootPath and leaves path as sent', async () => {
  const { scope } = await scopeFor('GET /items/7 HTTP/1.1\r\nHost: t\r\n\r\n', { rootPath: '/api' });
  expect([scope.rootPath, scope.path]).toEqual(['/api', '/items/7']);
});
