import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export interface TestCertificate {
  keyfile: string;
  certfile: string;
}

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made with the `openssl` CLI at test time
 * (no key material in the repository). With `password`, the key is encrypted with it.
 */
export function makeCertificate(dir: string, password?: string): TestCertificate {
  const keyfile = join(dir, 'key.pem');
  const certfile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
      ...(password === undefined ? ['-nodes'] : ['-passout', `pass:${password}`]),
      '-keyout', keyfile, '-out', certfile, '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  return { keyfile, certfile };
}
