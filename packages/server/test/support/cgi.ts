import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SERVER_ROOT } from './cli';

/** The CLI from source, as `usePortico` runs it. */
export const PORTICO_ARGS = ['-r', join(SERVER_ROOT, 'test', 'support', 'swc-register.js'), join(SERVER_ROOT, 'src', 'cli', 'bin.ts')];

export interface CgiRun {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** The variables a web server sets for `GET /` (RFC 3875 4.1); a test overrides or adds to them. */
export function cgiEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  return {
    GATEWAY_INTERFACE: 'CGI/1.1',
    REQUEST_METHOD: 'GET',
    SCRIPT_NAME: '',
    PATH_INFO: '/',
    QUERY_STRING: '',
    SERVER_NAME: 'example.test',
    SERVER_PORT: '8080',
    SERVER_PROTOCOL: 'HTTP/1.1',
    SERVER_SOFTWARE: 'test',
    REMOTE_ADDR: '192.0.2.7',
    REMOTE_PORT: '51000',
    ...extra,
  };
}

/**
 * Run `portico cgi <args>` exactly as a web server runs a CGI script: only the CGI environment
 * (plus PATH), the body on stdin, stdout and stderr captured apart.
 */
export function runPorticoCgi(args: string[], env: Record<string, string>, stdin: Uint8Array | string = ''): Promise<CgiRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...PORTICO_ARGS, 'cgi', ...args], {
      cwd: SERVER_ROOT,
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', NO_COLOR: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr }));
    child.stdin.on('error', () => undefined); // a script may exit without reading all of stdin
    child.stdin.end(stdin);
  });
}

export interface CgiResponse {
  status: number;
  headers: Array<[string, string]>;
  body: Buffer;
}

/** Split a CGI response (RFC 3875 6): header lines up to a blank line, `Status:` among them. */
export function parseCgiResponse(output: Buffer): CgiResponse {
  const end = output.indexOf('\r\n\r\n');
  if (end === -1) throw new Error(`no blank line after the CGI headers in ${JSON.stringify(output.toString('latin1'))}`);
  const headers = output
    .subarray(0, end)
    .toString('latin1')
    .split('\r\n')
    .map((line): [string, string] => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]);
  const status = Number(headers.find(([name]) => name === 'status')?.[1].split(' ')[0] ?? 200);
  return { status, headers: headers.filter(([name]) => name !== 'status'), body: output.subarray(end + 4) };
}
