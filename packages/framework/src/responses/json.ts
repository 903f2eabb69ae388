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
    return Buffer.from(JSON.stringify(content) ?? 'null');
  }
}
