import { gatewayInfo, type Address, type Extensions, type HeaderList, type HttpScope, type State } from '@portico/protocol';

// Read once, at load: a package's re-exports in CommonJS output are getters V8 does not inline.
const GATEWAY = gatewayInfo;

/** What a host adds to every scope it builds, besides the request. */
export interface ScopeOrigin {
  readonly scheme: 'http' | 'https';
  readonly rootPath: string;
  /** The lifespan state; each scope gets a shallow copy. */
  readonly state: State;
  readonly extensions: Extensions;
}

/** The parts of a request target a scope carries. */
export interface RequestTarget {
  /** Percent-decoded. */
  path: string;
  /** As sent, still percent-encoded, without the query. */
  rawPath: string;
  /** As sent, without the `?`. */
  queryString: string;
}

const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Split a request target (RFC 9112 3.2) into path, raw path and query. Accepts the origin form
 * (`/a?b`), the absolute form a proxy may send (`http://host/a?b`) and `*`. Returns `null` for any
 * other form and for a path whose percent-encoding is not valid UTF-8 (the host answers 400).
 *
 * @example
 * parseTarget('/caf%C3%A9?x=1'); // { path: '/café', rawPath: '/caf%C3%A9', queryString: 'x=1' }
 */
export function parseTarget(target: string): RequestTarget | null {
  let start = 0;
  if (target.charCodeAt(0) !== 47 /* / */) {
    if (target === '*') return { path: '*', rawPath: '*', queryString: '' };
    const scheme = ABSOLUTE_FORM.exec(target);
    if (scheme === null) return null;
    const slash = target.indexOf('/', scheme[0].length);
    const question = target.indexOf('?', scheme[0].length);
    if (slash === -1 || (question !== -1 && question < slash)) {
      return { path: '/', rawPath: '/', queryString: question === -1 ? '' : target.slice(question + 1) };
    }
    start = slash;
  }
  const question = target.indexOf('?', start);
  const rawPath = question === -1 ? (start === 0 ? target : target.slice(start)) : target.slice(start, question);
  const queryString = question === -1 ? '' : target.slice(question + 1);
  if (!rawPath.includes('%')) return { path: rawPath, rawPath, queryString };
  try {
    return { path: decodeURIComponent(rawPath), rawPath, queryString };
  } catch {
    return null; // URIError: a stray '%' or bytes that are not UTF-8
  }
}

/**
 * Node's `rawHeaders` (`[name, value, name, value, ...]`) as a scope's header list: names lower
 * case, values as received (latin1), order and repeats kept. One pass, one array.
 */
export function headerList(rawHeaders: readonly string[]): HeaderList {
  const headers: HeaderList = new Array(rawHeaders.length >> 1);
  for (let i = 0, j = 0; i < rawHeaders.length; i += 2, j++) {
    headers[j] = [(rawHeaders[i] as string).toLowerCase(), rawHeaders[i + 1] as string];
  }
  return headers;
}

/**
 * An HTTP scope: the one place its fields are laid out, for every host (one object shape for V8
 * too). `client` and `server` are copied, so an app changing its scope's addresses changes no
 * other request's.
 *
 * @example
 * const scope = httpScope(origin, '1.1', 'GET', parseTarget('/hi')!, [['host', 'example.com']], null, null);
 */
export function httpScope(
  origin: ScopeOrigin,
  httpVersion: HttpScope['httpVersion'],
  method: string,
  target: RequestTarget,
  headers: HeaderList,
  client: Address | null,
  server: Address | null,
): HttpScope {
  return {
    type: 'http',
    gateway: GATEWAY,
    httpVersion,
    method,
    scheme: origin.scheme,
    path: target.path,
    rawPath: target.rawPath,
    queryString: target.queryString,
    rootPath: origin.rootPath,
    headers,
    client: client === null ? null : { host: client.host, port: client.port },
    server: server === null ? null : { host: server.host, port: server.port },
    state: { ...origin.state },
    extensions: origin.extensions,
  };
}
