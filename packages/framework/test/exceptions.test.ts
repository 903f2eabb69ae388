import { describe, expect, it } from '@jest/globals';
import { HTTPException } from '@portico/framework';

describe('HTTPException', () => {
  it('carries status, detail (the reason phrase by default) and headers', () => {
    const error = new HTTPException(401, undefined, [['WWW-Authenticate', 'Bearer']]);
    expect([error.statusCode, error.detail, error.headers, error.message]).toEqual([401, 'Unauthorized', [['www-authenticate', 'Bearer']], '401: Unauthorized']);
    expect(error).toBeInstanceOf(Error);
  });

  it('refuses a status code HTTP does not have', () => {
    expect(() => new HTTPException(99)).toThrow('HTTPException needs an HTTP status code (100-599), got 99');
  });
});
