import { describe, expect, it } from '@jest/globals';
import { FormData, Headers, MutableHeaders, QueryParams, URL } from '@portico/framework';

describe('datastructures', () => {
  it('Headers: case-insensitive, first value by get, every value by getAll', () => {
    const headers = new Headers([['accept', 'text/html'], ['x-tag', 'a'], ['x-tag', 'b']]);
    expect([headers.get('Accept'), headers.getAll('X-TAG'), headers.has('x-none'), headers.keys()]).toEqual(['text/html', ['a', 'b'], false, ['accept', 'x-tag']]);
  });

  it('MutableHeaders: set replaces every value, append adds, delete removes', () => {
    const headers = new MutableHeaders([['vary', 'a'], ['x', '1'], ['vary', 'b']]);
    headers.set('Vary', 'c');
    headers.append('X', '2');
    expect(headers.raw).toEqual([['vary', 'c'], ['x', '1'], ['x', '2']]);
    headers.delete('x');
    expect(headers.raw).toEqual([['vary', 'c']]);
  });

  it('QueryParams and FormData keep repeats and decode', () => {
    const query = new QueryParams('a=1&b=x+y&a=2&c=%C3%A9');
    expect([query.get('a'), query.getAll('a'), query.get('b'), query.get('c'), query.size, query.toObject()]).toEqual(['1', ['1', '2'], 'x y', 'é', 3, { a: '1', b: 'x y', c: 'é' }]);
    expect([...new FormData([['k', 'v'], ['k', 'w']])]).toEqual([['k', 'v'], ['k', 'w']]);
  });

  it('URL: built from the scope, encodes the path, drops default ports, replaces parts', () => {
    const url = URL.fromScope({
      type: 'http', gateway: { version: '1.0', specVersion: '1.0' }, httpVersion: '1.1', method: 'GET', scheme: 'https',
      path: '/a b/é?', rawPath: '/a%20b/%C3%A9%3F', queryString: 'q=1', rootPath: '/root', headers: [['host', 'example.com:443']],
      client: null, server: null, state: {}, extensions: {},
    });
    expect([url.host, url.port, url.path, url.href]).toEqual(['example.com', null, '/root/a b/é?', 'https://example.com/root/a%20b/%C3%A9%3F?q=1']);
    expect(url.replace({ scheme: 'http', port: 8080, query: '' }).href).toBe('http://example.com:8080/root/a%20b/%C3%A9%3F');
    expect(`${new URL({ scheme: 'http', hostname: '::1', port: 80, path: '/', query: '' })}`).toBe('http://[::1]/');
  });
});
