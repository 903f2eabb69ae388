import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { cgiEnvironment, parseCgiResponse, runPorticoCgi } from './support/cgi';
import { FIXTURES } from './support/cli';

const APP = join(FIXTURES, 'cgi-app.js');

describe('portico cgi: one request per process, as a web server runs it', () => {
  it('builds the scope from the RFC 3875 variables', async () => {
    const run = await runPorticoCgi(
      [APP],
      cgiEnvironment({
        SCRIPT_NAME: '/cgi-bin/app.cgi',
        PATH_INFO: '/café/a/b',
        REQUEST_URI: '/cgi-bin/app.cgi/caf%C3%A9/a%2Fb?q=%C3%A9&x',
        QUERY_STRING: 'q=%C3%A9&x',
        HTTPS: 'on',
        CONTENT_TYPE: 'text/plain',
        HTTP_X_API_KEY: 'secret',
        HTTP_HOST: 'example.test',
        SERVER_PROTOCOL: 'HTTP/1.0',
      }),
    );
    expect(run.code).toBe(0);
    const response = parseCgiResponse(run.stdout);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body.toString())).toEqual({
      type: 'http',
      gateway: { version: '1.0', specVersion: expect.any(String) },
      httpVersion: '1.0',
      method: 'GET',
      scheme: 'https',
      rootPath: '/cgi-bin/app.cgi',
      path: '/café/a/b',
      rawPath: '/caf%C3%A9/a%2Fb',
      queryString: 'q=%C3%A9&x',
      headers: [
        ['content-type', 'text/plain'],
        ['x-api-key', 'secret'],
        ['host', 'example.test'],
      ],
      client: { host: '192.0.2.7', port: 51000 },
      server: { host: 'example.test', port: 8080 },
      state: { started: 'yes' },
      extensions: ['http.response.pathsend'],
      events: 1,
      bodyLength: 0,
    });
  });

  it('takes the path from REQUEST_URI when there is no PATH_INFO', async () => {
    const env = cgiEnvironment({ REQUEST_URI: '/x%20y?z=1', QUERY_STRING: 'z=1' });
    delete env['PATH_INFO'];
    const seen = JSON.parse(parseCgiResponse((await runPorticoCgi([APP], env)).stdout).body.toString()) as Record<string, unknown>;
    expect(seen).toMatchObject({ rootPath: '', path: '/x y', rawPath: '/x%20y', queryString: 'z=1' });
  });

  it('reads CONTENT_LENGTH bytes of stdin, and answers with Status, repeated headers and the body', async () => {
    const body = Buffer.alloc(1024 * 1024 + 3, 'x');
    const run = await runPorticoCgi(
      [APP],
      cgiEnvironment({ REQUEST_METHOD: 'POST', PATH_INFO: '/echo', CONTENT_LENGTH: String(body.length) }),
      Buffer.concat([body, Buffer.from('bytes past CONTENT_LENGTH are not the body')]),
    );
    expect(run.code).toBe(0);
    const response = parseCgiResponse(run.stdout);
    expect(response.status).toBe(201);
    expect(response.headers.filter(([name]) => name === 'x-part')).toEqual([['x-part', 'a'], ['x-part', 'b']]);
    expect(response.headers).toContainEqual(['content-length', String(body.length)]);
    expect(Buffer.compare(response.body, body)).toBe(0);
  });

  it('streams a response sent in parts, without a Content-Length', async () => {
    const response = parseCgiResponse((await runPorticoCgi([APP], cgiEnvironment({ PATH_INFO: '/stream' }))).stdout);
    expect(response.body.toString()).toBe('one two three');
    expect(response.headers.map(([name]) => name)).not.toContain('content-length');
  });

  it('answers HEAD with the headers only', async () => {
    const response = parseCgiResponse((await runPorticoCgi([APP], cgiEnvironment({ REQUEST_METHOD: 'HEAD', PATH_INFO: '/echo' }))).stdout);
    expect([response.status, response.body.length]).toEqual([201, 0]);
    expect(response.headers).toContainEqual(['content-length', '0']);
  });

  it('runs lifespan startup and shutdown around the single request', async () => {
    const run = await runPorticoCgi([APP], cgiEnvironment());
    expect(run.stderr.split('\n').filter((line) => line.startsWith('lifespan') || line === 'request')).toEqual([
      'lifespan: startup',
      'request',
      'lifespan: shutdown',
    ]);
  });

  it('answers 500 when the app throws, logs to stderr only, and exits 0', async () => {
    const run = await runPorticoCgi([APP], cgiEnvironment({ PATH_INFO: '/boom' }));
    expect(run.code).toBe(0);
    expect(parseCgiResponse(run.stdout).status).toBe(500);
    expect(run.stdout.toString()).not.toContain('deliberate failure');
    expect(run.stderr).toContain('deliberate failure');
  });

  it('gives the app http.disconnect when stdin ends before CONTENT_LENGTH, and writes nothing', async () => {
    const run = await runPorticoCgi([APP], cgiEnvironment({ REQUEST_METHOD: 'POST', PATH_INFO: '/echo', CONTENT_LENGTH: '10' }), 'abc');
    expect([run.code, run.stdout.length]).toEqual([0, 0]);
    expect(run.stderr.split('\n')).toContain('lifespan: shutdown');
  });

  it('answers 400 and explains when the environment is not a CGI request', async () => {
    const run = await runPorticoCgi([APP], {});
    expect(run.code).toBe(0);
    expect(parseCgiResponse(run.stdout).status).toBe(400);
    expect(run.stderr).toMatch(/REQUEST_METHOD must be an HTTP method.*web server's CGI handler/);
    const badLength = await runPorticoCgi([APP], cgiEnvironment({ CONTENT_LENGTH: '12abc' }));
    expect(parseCgiResponse(badLength.stdout).status).toBe(400);
    expect(badLength.stderr).toContain('CONTENT_LENGTH must be a number of bytes');
  });

  it('answers 500 and exits 1 when lifespan startup fails', async () => {
    const run = await runPorticoCgi([join(FIXTURES, 'failing-startup.js'), '--lifespan', 'on'], cgiEnvironment());
    expect(run.code).toBe(1);
    expect(parseCgiResponse(run.stdout).status).toBe(500);
  });

  it('rejects options that do not apply, a missing app, and an app that does not load', async () => {
    const port = await runPorticoCgi([APP, '--port', '8000'], cgiEnvironment());
    expect([port.code, port.stdout.length]).toEqual([2, 0]);
    expect(port.stderr).toContain('--port does not apply to portico cgi');
    const missing = await runPorticoCgi([], cgiEnvironment());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Missing the app to serve: portico cgi');
    const broken = await runPorticoCgi([join(FIXTURES, 'no-such-app.js')], cgiEnvironment());
    expect(broken.code).toBe(1);
    const help = await runPorticoCgi(['--help'], {});
    expect(help.stdout.toString()).toContain('Usage: portico cgi <module>[:<export>] [options]');
  });
});
