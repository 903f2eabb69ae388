import { STATUS_CODES } from 'node:http';
import type { HeaderList } from '@portico/protocol';

const TOKEN = /^[!#$%&'*+.^`|~0-9A-Za-z-]+$/;
/** Field values are visible ASCII, latin1 and tabs/spaces: never CR, LF or NUL (no header splitting). */
const BAD_VALUE = /[\0\r\n]/;

/**
 * Fields about the connection to the client, which belongs to the web server (RFC 3875 6.3.4: a
 * script must not send them); `status` because the head's own Status line says it.
 */
const SERVER_OWNED = new Set(['status', 'connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-connection']);

/** A response header that cannot be written (a name that is not a token, a value with CR/LF). */
export class InvalidResponseHeaderError extends TypeError {
  override readonly name = 'InvalidResponseHeaderError';
}

/**
 * The CGI response head (RFC 3875 section 6.3) a CGI script prints and a FastCGI responder sends on
 * FCGI_STDOUT: `Status: 200 OK`, the app's headers in order with repeats, and a blank line. The web
 * server turns it into its own HTTP response; fields about the client connection are left to it
 * (see `SERVER_OWNED`). `bodyLength` >= 0 adds a `Content-Length` when the
 * app gave none, so the server need not buffer or chunk. Throws `InvalidResponseHeaderError`.
 *
 * @example
 * cgiResponseHead(404, [['content-type', 'text/plain']], 9);
 * // 'Status: 404 Not Found\r\ncontent-type: text/plain\r\ncontent-length: 9\r\n\r\n' as bytes
 */
export function cgiResponseHead(status: number, headers: HeaderList, bodyLength: number): Buffer {
  const reason = STATUS_CODES[status];
  let head = reason === undefined ? `Status: ${status}\r\n` : `Status: ${status} ${reason}\r\n`;
  let hasLength = false;
  for (const [name, value] of headers) {
    if (!TOKEN.test(name)) throw new InvalidResponseHeaderError(`Invalid response header name ${JSON.stringify(name)}: it must be an HTTP token`);
    if (BAD_VALUE.test(value)) throw new InvalidResponseHeaderError(`Invalid value for response header '${name}': CR, LF and NUL are not allowed`);
    const lower = name.toLowerCase();
    if (SERVER_OWNED.has(lower)) continue;
    if (lower === 'content-length') hasLength = true;
    head += `${name}: ${value}\r\n`;
  }
  if (bodyLength >= 0 && !hasLength) head += `content-length: ${bodyLength}\r\n`;
  return Buffer.from(`${head}\r\n`, 'latin1');
}
