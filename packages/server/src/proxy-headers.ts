import { BlockList, isIP } from 'node:net';
import type { HeaderList, HttpScope } from '@portico/protocol';
import type { ServerConfig } from './config';

const MAX_REMEMBERED_PEERS = 1024;

/**
 * The peers whose proxy headers are believed: `'*'`, addresses and CIDR networks. A peer on a Unix
 * socket has no address, so only `'*'` trusts it.
 *
 * @example
 * const trusted = new TrustedProxies(['127.0.0.1', '10.0.0.0/8']);
 * trusted.trusts('10.1.2.3'); // true
 */
export class TrustedProxies {
  readonly #everyone: boolean;
  readonly #list = new BlockList();
  /** Peer address → verdict: BlockList.check costs a native call and two parses per request. */
  readonly #verdicts = new Map<string, boolean>();

  constructor(entries: readonly string[]) {
    this.#everyone = entries.includes('*');
    for (const entry of entries) {
      if (entry === '*') continue;
      const [address = '', prefix] = entry.split('/');
      const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (prefix === undefined) this.#list.addAddress(address, family);
      else this.#list.addSubnet(address, Number(prefix), family);
    }
  }

  trusts(host: string | undefined): boolean {
    if (this.#everyone) return true;
    if (host === undefined) return false;
    let verdict = this.#verdicts.get(host);
    if (verdict === undefined) {
      // An IPv4 peer on a dual-stack socket shows as ::ffff:a.b.c.d.
      const address = host.startsWith('::ffff:') && isIP(host.slice(7)) === 4 ? host.slice(7) : host;
      const family = isIP(address);
      verdict = family !== 0 && this.#list.check(address, family === 4 ? 'ipv4' : 'ipv6');
      // A proxy in front is a handful of addresses; a crowd of direct clients must not grow the memo without end.
      if (this.#verdicts.size >= MAX_REMEMBERED_PEERS) this.#verdicts.clear();
      this.#verdicts.set(host, verdict);
    }
    return verdict;
  }
}

/**
 * The proxies a host's configuration trusts; `null` with `proxyHeaders: false`.
 *
 * @example
 * const trusted = trustedProxies(config);
 * if (trusted !== null) applyProxyHeaders(scope, peerAddress, trusted);
 */
export function trustedProxies(config: Pick<ServerConfig, 'proxyHeaders' | 'forwardedAllowIps'>): TrustedProxies | null {
  return config.proxyHeaders ? new TrustedProxies(config.forwardedAllowIps) : null;
}

interface Forwarding {
  client: string | undefined;
  proto: string | undefined;
  host: string | undefined;
}

/** Splits on commas, trims, drops empties. */
const list = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/**
 * Of a chain of hops (client first, nearest proxy last), the one the nearest trusted proxies vouch
 * for: walking from our side, the first hop that is not itself a trusted proxy. If every hop is
 * trusted, the first one.
 */
function pickHop<T>(hops: readonly T[], addressOf: (hop: T) => string | undefined, trusted: TrustedProxies): T | undefined {
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as T;
    if (!trusted.trusts(addressOf(hop))) return hop;
  }
  return hops[0];
}

/** RFC 7239 node: `192.0.2.1`, `"[2001:db8::1]:4711"`, `unknown`, `_hidden`. Returns the address part. */
function nodeAddress(node: string | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (node.startsWith('[')) return node.slice(1, node.indexOf(']') === -1 ? undefined : node.indexOf(']'));
  const colon = node.indexOf(':');
  return colon !== -1 && node.indexOf(':', colon + 1) === -1 ? node.slice(0, colon) : node;
}

/** RFC 7239 4: `Forwarded: for=192.0.2.60;proto=https;host=example.com, for=198.51.100.17` */
function parseForwarded(value: string, trusted: TrustedProxies): Forwarding {
  const elements = value.split(',').map((element) => {
    const pairs = new Map<string, string>();
    for (const pair of element.split(';')) {
      const equals = pair.indexOf('=');
      if (equals === -1) continue;
      let pairValue = pair.slice(equals + 1).trim();
      if (pairValue.startsWith('"') && pairValue.endsWith('"') && pairValue.length >= 2) pairValue = pairValue.slice(1, -1).replace(/\\(.)/g, '$1');
      pairs.set(pair.slice(0, equals).trim().toLowerCase(), pairValue);
    }
    return pairs;
  });
  const hop = pickHop(elements, (pairs) => nodeAddress(pairs.get('for')), trusted);
  return { client: nodeAddress(hop?.get('for')), proto: hop?.get('proto'), host: hop?.get('host') };
}

/** The de-facto `X-Forwarded-*` headers; proto and host come from the nearest proxy (the last value). */
function parseXForwarded(forwardedFor: string | undefined, proto: string | undefined, host: string | undefined, trusted: TrustedProxies): Forwarding {
  return {
    client: forwardedFor === undefined ? undefined : pickHop(list(forwardedFor), (hop) => hop, trusted),
    proto: proto === undefined ? undefined : list(proto).at(-1),
    host: host === undefined ? undefined : list(host).at(-1),
  };
}

/** Repeated fields are one comma-separated list (RFC 9110 5.3). */
const join = (current: string | undefined, value: string): string => (current === undefined ? value : `${current},${value}`);

/**
 * Rewrite a scope from its proxy headers, when the peer is trusted: `client` from `Forwarded: for=`
 * or `X-Forwarded-For`, `scheme` from `proto=` or `X-Forwarded-Proto`, and the `host` header from
 * `host=` or `X-Forwarded-Host`. `Forwarded` wins when both kinds are present. From an untrusted
 * peer nothing changes (the headers stay visible to the app, unbelieved).
 *
 * @example
 * if (config.proxyHeaders) applyProxyHeaders(scope, peerAddress, trusted);
 */
export function applyProxyHeaders(scope: HttpScope, peer: string | undefined, trusted: TrustedProxies): void {
  // The headers first: most requests carry none, and then the peer needs no checking.
  let forwarded: string | undefined;
  let forwardedFor: string | undefined;
  let forwardedProto: string | undefined;
  let forwardedHost: string | undefined;
  for (const [name, value] of scope.headers) {
    if (name.charCodeAt(0) !== 102 /* f */ && name.charCodeAt(0) !== 120 /* x */) continue;
    if (name === 'forwarded') forwarded = join(forwarded, value);
    else if (name === 'x-forwarded-for') forwardedFor = join(forwardedFor, value);
    else if (name === 'x-forwarded-proto') forwardedProto = join(forwardedProto, value);
    else if (name === 'x-forwarded-host') forwardedHost = join(forwardedHost, value);
  }
  if (forwarded === undefined && forwardedFor === undefined && forwardedProto === undefined && forwardedHost === undefined) return;
  if (!trusted.trusts(peer)) return;
  const forwarding =
    forwarded !== undefined ? parseForwarded(forwarded, trusted) : parseXForwarded(forwardedFor, forwardedProto, forwardedHost, trusted);
  if (forwarding.client !== undefined && forwarding.client !== '') scope.client = { host: forwarding.client, port: 0 };
  const proto = forwarding.proto?.toLowerCase();
  if (proto === 'http' || proto === 'https') scope.scheme = proto;
  if (forwarding.host !== undefined && forwarding.host !== '') replaceHost(scope.headers, forwarding.host);
}

function replaceHost(headers: HeaderList, host: string): void {
  const index = headers.findIndex(([name]) => name === 'host');
  if (index === -1) headers.push(['host', host]);
  else headers[index] = ['host', host];
}
