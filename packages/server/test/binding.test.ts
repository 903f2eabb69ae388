/** Where the server listens: a Unix domain socket, and TLS with a certificate made at test time. */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { respondJson } from '@portico/protocol/conformance';
import { makeCertificate, type TestCertificate } from './support/certificates';
import { RawClient } from './support/raw-http';
import { httpApp, useServers } from './support/servers';

const start = useServers();
const echoApp = httpApp(async (scope, _receive, send) => respondJson(send, { scheme: scope.scheme, client: scope.client, server: scope.server }));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'portico-binding-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a Unix domain socket (uds)', () => {
  it('serves on the socket, any local user may connect, and it is removed on close', async () => {
    const path = join(dir, 'app.sock');
    const { server } = await start(echoApp, { uds: path });
    expect(server.url).toBe(`unix socket ${path}`);
    expect(statSync(path).mode & 0o777).toBe(0o666);

    const client = await RawClient.connect({ path });
    client.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
    const seen = JSON.parse((await client.readResponse()).body.toString()) as unknown;
    client.close();
    expect(seen).toEqual({ scheme: 'http', client: null, server: { host: path, port: 0 } });

    await server.close();
    expect(existsSync(path)).toBe(false);
  });
});

describe('TLS', () => {
  let certificate: TestCertificate;
  beforeAll(() => {
    certificate = makeCertificate(dir);
  });

  function httpsGet(port: number, ca: Buffer): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest({ host: '127.0.0.1', port, path: '/', ca, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it("serves HTTPS with the given key and certificate, and the scope's scheme is https", async () => {
    const { server, port } = await start(echoApp, { sslKeyfile: certificate.keyfile, sslCertfile: certificate.certfile });
    expect(server.url).toBe(`https://127.0.0.1:${port}`);
    const response = await httpsGet(port, readFileSync(certificate.certfile));
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ scheme: 'https', server: { host: '127.0.0.1', port } });
  });

  it('opens an encrypted key with sslKeyfilePassword', async () => {
    const encrypted = makeCertificate(mkdtempSync(join(dir, 'encrypted-')), 'correct horse');
    const { port } = await start(echoApp, { sslKeyfile: encrypted.keyfile, sslCertfile: encrypted.certfile, sslKeyfilePassword: 'correct horse' });
    expect((await httpsGet(port, readFileSync(encrypted.certfile))).status).toBe(200);
  });
});
