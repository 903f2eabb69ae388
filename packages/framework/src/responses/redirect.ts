import { describeValue } from '../arguments';
import { encodePath, URL } from '../datastructures';
import { checkInit, Response, type ResponseInit } from './response';

/**
 * A redirect: `307 Temporary Redirect` by default (the method and body are kept), with the
 * `Location` percent-encoded so it stays one valid header whatever the URL holds. It has no body,
 * so no Content-Type unless `mediaType` asks for one.
 *
 * @example
 * return new RedirectResponse(`/notes/${note.id}`, { status: 303 });
 */
export class RedirectResponse extends Response {
  constructor(url: string | URL | globalThis.URL, init: ResponseInit = {}) {
    const given: unknown = url;
    if (typeof given !== 'string' && !(given instanceof URL) && !(given instanceof globalThis.URL)) {
      throw new TypeError(`new RedirectResponse(url) takes a string or a URL, got ${describeValue(given)}`);
    }
    checkInit(init, 'RedirectResponse');
    super(undefined, { ...init, status: init.status ?? 307 });
    this.headers.set('location', encodeLocation(String(url)));
  }
}

/** Encode what a URL may not hold (spaces, non-ASCII, controls), keeping its structure and existing escapes. */
function encodeLocation(url: string): string {
  return url.replace(/[^\x21-\x7e]+|%(?![0-9A-Fa-f]{2})/g, (chars) => encodePath(chars));
}
