import { describeValue } from '../arguments';
import { Response, type ResponseInit } from './response';

/**
 * A JSON response (`application/json`). `undefined` is sent as `null`; values JSON cannot
 * carry (a BigInt, a cycle) throw a TypeError when the response is built.
 *
 * @example
 * return new JSONResponse({ id: 7, title: 'Groceries' }, { status: 201 });
 */
export class JSONResponse extends Response {
  static override defaultMediaType: string | undefined = 'application/json';

  constructor(content: unknown, init?: ResponseInit) {
    super(content, init);
  }

  protected override render(content: unknown): Uint8Array {
    // A function would be sent as null: most likely it was meant to be called.
    if (typeof content === 'function' || typeof content === 'symbol') throw new TypeError(`JSONResponse content must be a JSON value, got ${describeValue(content)}`);
    return Buffer.from(JSON.stringify(content) ?? 'null');
  }
}
