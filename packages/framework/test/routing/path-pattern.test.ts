import { describe, expect, it } from '@jest/globals';
import { PathPattern } from '@portico/framework';
import { match } from 'path-to-regexp';

// PathPattern adds converters and the router's options to path-to-regexp; on plain patterns it
// must find what path-to-regexp's own matcher finds (strict trailing slash, case sensitive).
const patterns = ['/', '/notes', '/users/:id', '/users/:id/posts', '/a/:x/b/:y', '/a/:x/:y', '/users/:id.json', '/files/*rest', '/shop{/:category}/items'];
const segments = ['', 'users', 'notes', '42', 'a', 'b', 'posts', '42.json', 'x y', 'Users', 'files', 'shop', 'items'];

function paths(): string[] {
  const found = new Set<string>(['/', '', '//', '/users/', '/users//posts', '/a//b/', 'users/42']);
  for (const first of segments) {
    found.add(`/${first}`);
    for (const second of segments) {
      found.add(`/${first}/${second}`);
      for (const third of segments) found.add(`/${first}/${second}/${third}`);
      found.add(`/${first}/${second}/b/${second}`);
    }
  }
  return [...found];
}

/** path-to-regexp gives a wildcard's segments as a list; PathPattern gives the text. */
function joined(params: Partial<Record<string, string | string[]>>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).map(([name, value]) => [name, Array.isArray(value) ? value.join('/') : String(value)]));
}

describe('PathPattern', () => {
  it('matches exactly what path-to-regexp matches, with the same parameters', () => {
    const disagreements: string[] = [];
    const all = paths();
    for (const source of patterns) {
      const pattern = new PathPattern(source);
      const reference = match(source, { decode: false, trailing: false, sensitive: true });
      for (const path of all) {
        const expected = reference(path);
        const want = JSON.stringify(expected === false ? null : joined(expected.params));
        const found = pattern.match(path);
        if (JSON.stringify(found?.params ?? null) !== want) disagreements.push(`${source} on '${path}': ${JSON.stringify(found)}, path-to-regexp ${JSON.stringify(expected)}`);
        // The router's matching, without the matched text, must agree too.
        const params = pattern.params(path);
        if (JSON.stringify(params) !== want) disagreements.push(`${source} on '${path}': params() ${JSON.stringify(params)}, path-to-regexp ${JSON.stringify(expected)}`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('converts parameters and refuses a value that does not convert', () => {
    const pattern = new PathPattern('/users/:id<int>/posts/:slug');
    expect(pattern.match('/users/7/posts/hello')).toEqual({ params: { id: 7, slug: 'hello' }, matched: '/users/7/posts/hello' });
    expect(pattern.match('/users/me/posts/hello')).toBeNull();
    expect(pattern.match('/users/7/posts/hello/')).toBeNull();
    expect(pattern.params('/users/7/posts/hello')).toEqual({ id: 7, slug: 'hello' });
    expect(pattern.params('/users/me/posts/hello')).toBeNull();
  });
});
