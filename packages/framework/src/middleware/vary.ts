import type { HeaderList } from '@portico/protocol';

/**
 * Add `token` to the `Vary` header of a response header list (RFC 9110 §12.5.5): appended to an
 * existing value unless it is already named or the value is `*`, which covers everything.
 */
export function addVary(headers: HeaderList, token: string): void {
  const wanted = token.toLowerCase();
  let first = -1;
  for (let i = 0; i < headers.length; i++) {
    const [name, value] = headers[i]!;
    if (name !== 'vary') continue;
    if (first === -1) first = i;
    for (const named of value.split(',')) {
      const trimmed = named.trim().toLowerCase();
      if (trimmed === '*' || trimmed === wanted) return;
    }
  }
  if (first === -1) headers.push(['vary', token]);
  else headers[first] = ['vary', `${headers[first]![1]}, ${token}`];
}
