import { Response } from './response';

/**
 * A `text/plain; charset=utf-8` response.
 *
 * @example
 * return new PlainTextResponse('pong');
 */
export class PlainTextResponse extends Response {
  static override defaultMediaType: string | undefined = 'text/plain';
}

/**
 * A `text/html; charset=utf-8` response.
 *
 * @example
 * return new HTMLResponse('<h1>Notes</h1>');
 */
export class HTMLResponse extends Response {
  static override defaultMediaType: string | undefined = 'text/html';
}
