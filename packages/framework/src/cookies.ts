/**
 * Cookie headers both ways, through the `cookie` package: `Set-Cookie` values are
 * percent-encoded, so a `;`, a comma or CRLF in a value can never end the cookie or split the
 * header; names, paths and domains that would are refused with a CookieError.
 */
import { parseCookie, stringifySetCookie } from 'cookie';

export interface CookieOptions {
  /** Seconds until the cookie expires; 0 or less deletes it. */
  maxAge?: number;
  expires?: Date;
  /** Default `/`. */
  path?: string;
  domain?: string;
  secure?: boolean;
  httpOnly?: boolean;
  /** Default `lax`. */
  sameSite?: 'lax' | 'strict' | 'none';
  partitioned?: boolean;
}

/** A cookie name, value or attribute that cannot be written into a header. */
export class CookieError extends TypeError {
  override readonly name = 'CookieError';
}

/**
 * The value of one `Set-Cookie` header.
 *
 * @example
 * setCookieHeader('session', 'a;b', { httpOnly: true }); // 'session=a%3Bb; Path=/; HttpOnly; SameSite=Lax'
 */
export function setCookieHeader(name: string, value: string, options: CookieOptions = {}): string {
  if (options.sameSite === 'none' && options.secure !== true) {
    throw new CookieError(`cookie '${name}': sameSite 'none' needs secure: true (browsers drop it otherwise)`);
  }
  try {
    return stringifySetCookie({
      name,
      value,
      path: options.path ?? '/',
      sameSite: options.sameSite ?? 'lax',
      ...(options.maxAge !== undefined && { maxAge: Math.trunc(options.maxAge) }),
      ...(options.expires !== undefined && { expires: options.expires }),
      ...(options.domain !== undefined && { domain: options.domain }),
      ...(options.secure !== undefined && { secure: options.secure }),
      ...(options.httpOnly !== undefined && { httpOnly: options.httpOnly }),
      ...(options.partitioned !== undefined && { partitioned: options.partitioned }),
    });
  } catch (error) {
    throw new CookieError(`cannot set cookie '${name}': ${(error as Error).message.replace(/^argument |^option /, '')}`, { cause: error });
  }
}

/**
 * The cookies of `Cookie` header values (several values, as HTTP/2 sends them, are joined).
 * Values are percent-decoded; the first of repeated names wins.
 */
export function parseCookies(headerValues: readonly string[]): Record<string, string> {
  const cookies = Object.create(null) as Record<string, string>; // a cookie named __proto__ stays a cookie
  for (const header of headerValues) {
    for (const [name, value] of Object.entries(parseCookie(header))) {
      if (value !== undefined && !(name in cookies)) cookies[name] = value;
    }
  }
  return cookies;
}
