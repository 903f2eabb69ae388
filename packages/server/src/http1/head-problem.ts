import type { HeaderList } from '@portico/protocol';

/**
 * What an HTTP/1.x request head has that llhttp lets through and RFC 9112 does not, or null: an
 * HTTP/1.1 request without Host, any request with two (3.2), and Transfer-Encoding in HTTP/1.0,
 * whose framing is faulty (6.1; llhttp would read it chunked and keep the connection for the next
 * request). `headers` are the request's fields, names lower case.
 *
 * @example
 * headProblem(1, [['accept', '*\/*']]); // 'no Host header'
 */
export function headProblem(versionMinor: number, headers: HeaderList): string | null {
  let hosts = 0;
  for (let i = 0; i < headers.length; i++) {
    const name = (headers[i] as [string, string])[0];
    if (name === 'host') hosts++;
    else if (versionMinor === 0 && name === 'transfer-encoding') return 'Transfer-Encoding in an HTTP/1.0 request';
  }
  if (hosts > 1) return 'more than one Host header';
  return hosts === 0 && versionMinor === 1 ? 'no Host header' : null;
}
