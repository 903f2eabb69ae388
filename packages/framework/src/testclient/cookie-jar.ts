import { parseSetCookie } from 'cookie';

interface StoredCookie {
  name: string;
  /** As sent on the wire (percent-encoded). */
  value: string;
  path: string;
  /** Lower case; `hostOnly` cookies match this host exactly. */
  domain: string;
  hostOnly: boolean;
  secure: boolean;
  /** Epoch ms, or undefined for a session cookie. */
  expires: number | undefined;
}

/**
 * The TestClient's cookies: stored from `Set-Cookie` answers (Max-Age, Expires, Path, Domain,
 * Secure honoured, RFC 6265 §5.3) and sent back on requests they match.
 *
 * @example
 * client.cookies.set('session', 'abc');
 * client.cookies.get('session'); // 'abc'
 */
export class CookieJar {
  readonly #cookies = new Map<string, StoredCookie>();
  readonly #defaultDomain: string;

  constructor(defaultDomain: string) {
    this.#defaultDomain = defaultDomain.toLowerCase();
  }

  /** The value of a live cookie of that name (any path). */
  get(name: string): string | undefined {
    this.#expire();
    for (const cookie of this.#cookies.values()) if (cookie.name === name) return decode(cookie.value);
    return undefined;
  }

  set(name: string, value: string, options: { path?: string; domain?: string } = {}): void {
    const domain = (options.domain ?? this.#defaultDomain).toLowerCase();
    const cookie = { name, value: encodeURIComponent(value), path: options.path ?? '/', domain, hostOnly: options.domain === undefined, secure: false, expires: undefined };
    this.#cookies.set(key(cookie), cookie);
  }

  delete(name: string): void {
    for (const [id, cookie] of this.#cookies) if (cookie.name === name) this.#cookies.delete(id);
  }

  clear(): void {
    this.#cookies.clear();
  }

  /** Store what one `Set-Cookie` header says, for a response from `url`. */
  store(header: string, url: globalThis.URL): void {
    const parsed = parseSetCookie(header, { decode: (raw) => raw });
    if (!parsed.name) return;
    const host = url.hostname.toLowerCase();
    const domain = parsed.domain?.replace(/^\./, '').toLowerCase();
    if (domain !== undefined && host !== domain && !host.endsWith(`.${domain}`)) return; // not ours to set
    const now = Date.now();
    let expires: number | undefined;
    if (parsed.maxAge !== undefined) expires = now + parsed.maxAge * 1000;
    else if (parsed.expires !== undefined) expires = parsed.expires.getTime();
    const cookie: StoredCookie = {
      name: parsed.name,
      value: parsed.value ?? '',
      path: parsed.path?.startsWith('/') ? parsed.path : defaultPath(url.pathname),
      domain: domain ?? host,
      hostOnly: domain === undefined,
      secure: parsed.secure === true,
      expires,
    };
    if (expires !== undefined && expires <= now) this.#cookies.delete(key(cookie));
    else this.#cookies.set(key(cookie), cookie);
  }

  /** The `Cookie` header value for a request to `url`, or undefined when no cookie matches. */
  headerFor(url: globalThis.URL): string | undefined {
    this.#expire();
    const host = url.hostname.toLowerCase();
    const pairs: string[] = [];
    for (const cookie of this.#cookies.values()) {
      const domainMatches = cookie.hostOnly ? host === cookie.domain : host === cookie.domain || host.endsWith(`.${cookie.domain}`);
      if (!domainMatches || !pathMatches(url.pathname, cookie.path) || (cookie.secure && url.protocol !== 'https:')) continue;
      pairs.push(`${cookie.name}=${cookie.value}`);
    }
    return pairs.length > 0 ? pairs.join('; ') : undefined;
  }

  #expire(): void {
    const now = Date.now();
    for (const [id, cookie] of this.#cookies) if (cookie.expires !== undefined && cookie.expires <= now) this.#cookies.delete(id);
  }
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function key(cookie: Pick<StoredCookie, 'name' | 'domain' | 'path'>): string {
  return `${cookie.domain};${cookie.path};${cookie.name}`;
}

function defaultPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  return requestPath.startsWith(cookiePath) && (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/');
}
