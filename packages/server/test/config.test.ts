/** Server options: checked in the constructor, every mistake reported with what would be right. */
import { describe, expect, it } from '@jest/globals';
import type { App } from '@portico/protocol';
import { ConfigError, resolveConfig, Server, type ServerOptions } from '@portico/server';

const app: App = async () => undefined;

function configError(options: Record<string, unknown>): ConfigError {
  try {
    new Server(app, options as ServerOptions);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('a wrong option', () => {
  it('is reported with its name, the value given and what is allowed, all of them at once', () => {
    const error = configError({ port: 70000, lifespan: 'sometimes', timeoutKeepAlive: -1 });
    expect(error.message.split('\n')).toEqual([
      "Invalid option 'port': got 70000; expected an integer from 0 to 65535 (0 picks a free port)",
      "Invalid option 'lifespan': got 'sometimes'; expected 'auto', 'on' or 'off'",
      "Invalid option 'timeoutKeepAlive': got -1; expected a number of seconds greater than 0",
    ]);
    expect(error.issues.map((issue) => issue.option)).toEqual(['port', 'lifespan', 'timeoutKeepAlive']);
  });

  it('that is unknown (a typo) is named', () => {
    expect(configError({ prot: 8000 }).message).toMatch(/^Invalid option 'prot': got 8000; expected one of the known options: host, port, /);
  });

  it('of the wrong type is reported with the value as given', () => {
    expect(configError({ port: '8000' }).message).toBe("Invalid option 'port': got '8000'; expected an integer from 0 to 65535 (0 picks a free port)");
  });

  it('that conflicts with another is reported', () => {
    expect(configError({ uds: '/tmp/app.sock', fd: 3 }).issues[0]?.option).toBe('fd');
    expect(configError({ sslKeyfile: 'key.pem' }).message).toBe(
      "Invalid option 'sslCertfile': got nothing; expected the path of a PEM certificate, together with sslKeyfile",
    );
  });

  it('naming files that cannot be read is reported before anything binds', () => {
    const error = configError({ sslKeyfile: '/nonexistent/key.pem', sslCertfile: '/nonexistent/cert.pem' });
    expect(error.message.split('\n')).toEqual([
      "Invalid option 'sslKeyfile': got '/nonexistent/key.pem'; expected a readable file (reading it failed: ENOENT)",
      "Invalid option 'sslCertfile': got '/nonexistent/cert.pem'; expected a readable file (reading it failed: ENOENT)",
    ]);
  });

  it('in forwardedAllowIps is refused, whether given as a list or a comma-separated string', () => {
    expect(configError({ forwardedAllowIps: '127.0.0.1, 10.0.0.0/33' }).issues[0]?.option).toBe('forwardedAllowIps');
    expect(configError({ forwardedAllowIps: ['localhost'] }).issues[0]?.option).toBe('forwardedAllowIps');
  });
});

it('fills in the defaults', () => {
  expect(resolveConfig({})).toMatchObject({
    host: '127.0.0.1',
    port: 8000,
    lifespan: 'auto',
    rootPath: '',
    proxyHeaders: true,
    forwardedAllowIps: ['127.0.0.1'],
    timeoutKeepAlive: 5,
    timeoutGracefulShutdown: 30,
    timeoutHeaders: 30,
    maxHeaderSize: 16384,
    logLevel: 'info',
    accessLog: true,
    serverHeader: true,
    dateHeader: true,
    tls: null,
  });
  expect(resolveConfig({ forwardedAllowIps: '10.0.0.1, 192.168.0.0/16' }).forwardedAllowIps).toEqual(['10.0.0.1', '192.168.0.0/16']);
});
