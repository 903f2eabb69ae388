/** `portico serve --http`: HTTP/2 from the command line. */
import { expect, it } from '@jest/globals';
import { ConfigError, Server } from '@portico/server';
import { text, utf8 } from '@portico/protocol/conformance';
import { usePortico } from './support/cli';
import { connectHttp2, requestOverHttp2 } from './support/http2-client';

const portico = usePortico();
const echoApp = 'packages/server/test/fixtures/echo-app.js';

it('serves h2c with --http 2 and logs HTTP/2 requests', async () => {
  const cli = portico(['serve', echoApp, '--port', '0', '--http', '2']);
  const session = await connectHttp2(await cli.origin());
  try {
    const response = await requestOverHttp2(session, { method: 'POST', target: '/echo', body: [utf8('over h2c')] });
    expect([response.status, text(response.body)]).toEqual([200, 'over h2c']);
  } finally {
    session.destroy();
  }
  await cli.waitFor(/"POST \/echo HTTP\/2" 200/);
});

it('rejects an unknown --http value before starting, naming the choices', async () => {
  const cli = portico(['serve', echoApp, '--port', '0', '--http', '3']);
  expect((await cli.exited).code).toBe(1);
  expect(cli.output()).toContain("Invalid option '--http': got '3'; expected '1.1', '2'");
});

it('refuses --http 2 with --interface fastcgi (the web server in front speaks HTTP to clients)', () => {
  const attempt = (): Server => new Server(async () => undefined, { interface: 'fastcgi', http: '2' });
  expect(attempt).toThrow(ConfigError);
  expect(attempt).toThrow("Invalid option 'http': got '2'; expected '1.1', '2'");
  expect(attempt).toThrow("only '1.1' with interface 'fastcgi'");
});
