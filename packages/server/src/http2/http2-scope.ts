import type { HeaderList, HttpScope } from '@portico/protocol';
import { httpScope, parseTarget, type ScopeOrigin } from '../scope';
import type { SocketAddresses } from '../socket-addresses';

/**
 * The HTTP scope of an HTTP/2 request from its raw header list (`[name, value, ...]`, pseudo-headers
 * first), mapped as ASGI does: `:method`, `:path` and `:scheme` go to their scope fields,
 * `:authority` becomes the `host` header (unless the client sent one), and no pseudo-header stays
 * in `headers`. Split `cookie` fields are joined with "; " (RFC 9113 8.2.3). Returns `null` when
 * there is no usable `:path` (a CONNECT, or an undecodable path): the host answers 400.
 */
export function http2Scope(rawHeaders: readonly string[], addresses: SocketAddresses, context: ScopeOrigin): HttpScope | null {
  let method = '';
  let target: string | undefined;
  let authority: string | undefined;
  let cookie: string | undefined;
  let hasHost = false;
  const headers: HeaderList = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    const value = rawHeaders[i + 1] as string;
    if (name.charCodeAt(0) === 58 /* : */) {
      if (name === ':method') method = value;
      else if (name === ':path') target = value;
      else if (name === ':authority') authority = value;
      continue;
    }
    if (name === 'cookie') {
      cookie = cookie === undefined ? value : `${cookie}; ${value}`;
      continue;
    }
    if (name === 'host') hasHost = true;
    headers.push([name, value]);
  }
  const parsed = target === undefined ? null : parseTarget(target);
  if (parsed === null) return null;
  if (authority !== undefined && !hasHost) headers.unshift(['host', authority]);
  if (cookie !== undefined) headers.push(['cookie', cookie]);
  return httpScope(context, '2', method, parsed, headers, addresses.client, addresses.server);
}
