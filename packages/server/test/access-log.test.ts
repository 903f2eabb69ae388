/** The access log: one Uvicorn-style line per response, coloured on request, switchable. */
import { expect, it } from '@jest/globals';
import { respond } from '@portico/protocol/conformance';
import { RawClient, rawRequest } from './support/raw-http';
import { httpApp, useServers } from './support/servers';

const start = useServers();
const app = httpApp(async (scope, _receive, send) => {
  if (scope.path === '/boom') throw new Error('boom');
  await respond(send, scope.path === '/missing' ? 404 : 200, 'body');
});
const accessLines = (logs: string[]): string[] => logs.filter((line) => line.includes(' - ') && line.includes(' HTTP/1.'));

it('writes one line per response: client, request line and status', async () => {
  const { port, logs } = await start(app);
  const client = await RawClient.connect({ port });
  client.write('GET /items?page=2 HTTP/1.1\r\nHost: t\r\n\r\nGET /missing HTTP/1.1\r\nHost: t\r\n\r\n');
  await client.readResponse();
  await client.readResponse();
  const clientPort = client.socket.localPort;
  client.close();
  expect(accessLines(logs)).toEqual([
    `INFO:     127.0.0.1:${clientPort} - "GET /items?page=2 HTTP/1.1" 200`,
    `INFO:     127.0.0.1:${clientPort} - "GET /missing HTTP/1.1" 404`,
  ]);
});

it('logs the status the client actually got when the app fails', async () => {
  const { port, logs } = await start(app);
  await rawRequest(port, 'GET /boom HTTP/1.1\r\nHost: t\r\n\r\n');
  expect(accessLines(logs)).toEqual([expect.stringMatching(/ - "GET \/boom HTTP\/1\.1" 500$/)]);
});

it('shows the client that trusted proxy headers name', async () => {
  const { port, logs } = await start(app);
  await rawRequest(port, 'GET / HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 203.0.113.9\r\n\r\n');
  expect(accessLines(logs)).toEqual(['INFO:     203.0.113.9:0 - "GET / HTTP/1.1" 200']);
});

it('colours the level, the request line and the status when colours are on', async () => {
  const { port, logs } = await start(app, { useColors: true });
  await rawRequest(port, 'GET /missing HTTP/1.1\r\nHost: t\r\n\r\n');
  expect(accessLines(logs)).toEqual([expect.stringMatching(/^\x1b\[32mINFO: {5}\x1b\[0m127\.0\.0\.1:\d+ - \x1b\[1m"GET \/missing HTTP\/1\.1"\x1b\[0m \x1b\[33m404\x1b\[0m$/)]);
});

it('writes nothing with accessLog off, or below info', async () => {
  const off = await start(app, { accessLog: false });
  await rawRequest(off.port, 'GET / HTTP/1.1\r\nHost: t\r\n\r\n');
  const quiet = await start(app, { logLevel: 'warning' });
  await rawRequest(quiet.port, 'GET / HTTP/1.1\r\nHost: t\r\n\r\n');
  expect([accessLines(off.logs), accessLines(quiet.logs)]).toEqual([[], []]);
});
