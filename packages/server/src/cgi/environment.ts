import type { Extensions, HeaderList, HttpScope, State } from '@portico/protocol';
import { applyProxyHeaders, type TrustedProxies } from '../proxy-headers';
import { httpScope, parseTarget } from '../scope';

/**
 * The meta-variables a web server passes to a CGI script (RFC 3875 section 4.1) or, as FCGI_PARAMS,
 * to a FastCGI responder. Names are case-sensitive, values latin1.
 */
export type CgiEnvironment = ReadonlyMap<string, string>;

/** The variables do not describe an HTTP request (no REQUEST_METHOD, a bad CONTENT_LENGTH, ...). */
export class CgiEnvironmentError extends Error {
  override readonly name = 'CgiEnvironmentError';
}

/** What the host adds to what the variables say. */
export interface CgiScopeSettings {
  /** The `rootPath` option: a prefix a proxy in front of the web server already removed. */
  readonly rootPath: string;
  readonly extensions: Extensions;
  readonly state: State;
  /** `null` when proxy headers are off. */
  readonly trusted: TrustedProxies | null;
}

export interface CgiRequest {
  scope: HttpScope;
  /** CONTENT_LENGTH, or `null` when the server did not give one (no body). */
  declaredBodyLength: number | null;
}

const TOKEN = /^[!#$%&'*+.^`|~0-9A-Za-z-]+$/;

/**
 * The HTTP scope a CGI environment describes:
 * - `rootPath` is the `rootPath` setting plus SCRIPT_NAME and `path` is PATH_INFO (the CGI rule);
 * - without PATH_INFO (nginx's stock `fastcgi_params` sends none, and sets SCRIPT_NAME to the whole
 *   URI), the path comes from REQUEST_URI (else DOCUMENT_URI) and SCRIPT_NAME is not a prefix;
 * - `rawPath` and `queryString` come from REQUEST_URI when it agrees with the decoded path, else
 *   they are re-encoded from PATH_INFO and QUERY_STRING;
 * - HTTP_* become headers (HTTP_X_API_KEY → x-api-key), with CONTENT_TYPE and CONTENT_LENGTH; a
 *   repeated names were joined already (see `environmentFromPairs`);
 * - REMOTE_ADDR/REMOTE_PORT → client, SERVER_NAME (else SERVER_ADDR)/SERVER_PORT → server, HTTPS → scheme,
 *   SERVER_PROTOCOL → httpVersion; trusted proxy headers apply with REMOTE_ADDR as the peer.
 *
 * Throws `CgiEnvironmentError` when the variables cannot describe a request.
 *
 * @example
 * const { scope } = cgiRequest(new Map([['REQUEST_METHOD', 'GET'], ['PATH_INFO', '/hi']]), settings);
 */
export function cgiRequest(env: CgiEnvironment, settings: CgiScopeSettings): CgiRequest {
  const method = env.get('REQUEST_METHOD') ?? '';
  if (!TOKEN.test(method)) throw new CgiEnvironmentError(`REQUEST_METHOD must be an HTTP method, got ${JSON.stringify(method)}`);
  const declaredBodyLength = contentLength(env.get('CONTENT_LENGTH'));
  const { rootPath, path, rawPath, queryString } = locate(env);
  const origin = { scheme: isOn(env.get('HTTPS')) ? 'https' : 'http', rootPath: settings.rootPath + rootPath, state: settings.state, extensions: settings.extensions } as const;
  const client = endpoint(env.get('REMOTE_ADDR'), env.get('REMOTE_PORT'));
  const server = endpoint(env.get('SERVER_NAME') || env.get('SERVER_ADDR'), env.get('SERVER_PORT'));
  const scope: HttpScope = httpScope(origin, httpVersion(env.get('SERVER_PROTOCOL')), method.toUpperCase(), { path, rawPath, queryString }, headersOf(env), client, server);
  if (settings.trusted !== null) applyProxyHeaders(scope, env.get('REMOTE_ADDR'), settings.trusted);
  return { scope, declaredBodyLength };
}

function contentLength(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  if (!/^\d{1,15}$/.test(value)) throw new CgiEnvironmentError(`CONTENT_LENGTH must be a number of bytes, got ${JSON.stringify(value)}`);
  return Number(value);
}

function httpVersion(protocol: string | undefined): HttpScope['httpVersion'] {
  if (protocol === 'HTTP/1.0') return '1.0';
  if (protocol === 'HTTP/2.0' || protocol === 'HTTP/2') return '2';
  return '1.1';
}

const isOn = (value: string | undefined): boolean => value !== undefined && value !== '' && value.toLowerCase() !== 'off';

function endpoint(host: string | undefined, port: string | undefined): HttpScope['client'] {
  if (host === undefined || host === '') return null;
  const number = Number(port);
  return { host, port: Number.isInteger(number) && number >= 0 && number <= 65535 ? number : 0 };
}

interface Location {
  rootPath: string;
  path: string;
  rawPath: string;
  queryString: string;
}

function locate(env: CgiEnvironment): Location {
  const uri = env.get('REQUEST_URI') ?? env.get('DOCUMENT_URI');
  const target = uri === undefined || uri === '' ? null : parseTarget(uri);
  if (uri !== undefined && uri !== '' && target === null) throw new CgiEnvironmentError(`REQUEST_URI is not a request target: ${JSON.stringify(uri)}`);
  const queryString = env.get('QUERY_STRING') ?? target?.queryString ?? '';
  const pathInfo = env.get('PATH_INFO');
  if (pathInfo === undefined) {
    if (target === null) throw new CgiEnvironmentError('Neither PATH_INFO nor REQUEST_URI says which path was asked for');
    return { rootPath: '', path: target.path, rawPath: target.rawPath, queryString };
  }
  const scriptName = (env.get('SCRIPT_NAME') ?? '').replace(/\/+$/, '');
  // REQUEST_URI is the whole path as sent; its raw form of PATH_INFO is what follows SCRIPT_NAME's segments.
  let rawPath = encodePath(pathInfo);
  if (target !== null && target.path === scriptName + pathInfo) {
    const segments = scriptName === '' ? 0 : scriptName.split('/').length - 1;
    let cut = 0;
    for (let i = 0; i < segments && cut !== -1; i++) cut = target.rawPath.indexOf('/', cut + 1);
    const rest = cut === -1 ? '' : target.rawPath.slice(cut);
    if (safeDecode(rest) === pathInfo) rawPath = rest;
  }
  return { rootPath: scriptName, path: pathInfo, rawPath, queryString };
}

function safeDecode(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/** Percent-encode what may not stand in a path as sent (and `%` itself), keeping `/`. */
function encodePath(path: string): string {
  return encodeURI(path).replace(/[?#]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function headersOf(env: CgiEnvironment): HeaderList {
  const headers: HeaderList = [];
  for (const [variable, value] of env) {
    if (variable.startsWith('HTTP_')) {
      // HTTP_CONTENT_TYPE/LENGTH would duplicate the real ones (RFC 3875 4.1.18: servers must not send them).
      if (variable === 'HTTP_CONTENT_TYPE' || variable === 'HTTP_CONTENT_LENGTH') continue;
      headers.push([variable.slice(5).toLowerCase().replaceAll('_', '-'), value]);
    } else if ((variable === 'CONTENT_TYPE' || variable === 'CONTENT_LENGTH') && value !== '') {
      headers.push([variable.toLowerCase().replace('_', '-'), value]);
    }
  }
  return headers;
}

/**
 * An environment from name-value pairs as FCGI_PARAMS carries them. A name given twice (nginx
 * before 1.23 sends one HTTP_* pair per repeated header) keeps both values, joined with ", "
 * (cookies with "; ", RFC 6265 5.4); for other names the last one wins.
 */
export function environmentFromPairs(pairs: Iterable<readonly [string, string]>): Map<string, string> {
  const env = new Map<string, string>();
  for (const [name, value] of pairs) {
    const previous = env.get(name);
    if (previous === undefined || !name.startsWith('HTTP_')) env.set(name, value);
    else env.set(name, `${previous}${name === 'HTTP_COOKIE' ? '; ' : ', '}${value}`);
  }
  return env;
}
