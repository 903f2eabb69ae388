import type { HeaderList } from '@portico/protocol';
import { Headers } from '../datastructures';

const decoder = new TextDecoder();

/**
 * What the TestClient got back.
 *
 * @example
 * const response = await client.get('/notes/1');
 * response.status; // 200
 * response.headers.get('content-type'); // 'application/json'
 * response.json(); // { id: 1, ... }
 */
export class TestResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Uint8Array;
  readonly trailers: Headers;
  /** The `Link` values of each early hint (103) sent before the response. */
  readonly earlyHints: readonly string[][];
  /** The URL that answered (after redirects). */
  readonly url: string;

  constructor(init: { status: number; headers: HeaderList; body: Uint8Array; trailers: HeaderList; earlyHints: string[][]; url: string }) {
    this.status = init.status;
    this.headers = new Headers(init.headers);
    this.body = init.body;
    this.trailers = new Headers(init.trailers);
    this.earlyHints = init.earlyHints;
    this.url = init.url;
  }

  /** The body decoded as UTF-8. */
  get text(): string {
    return decoder.decode(this.body);
  }

  /** The body parsed as JSON; throws with the body in the message when it is not JSON. */
  json(): unknown {
    try {
      return JSON.parse(this.text) as unknown;
    } catch (error) {
      throw new SyntaxError(`the response body is not JSON (${(error as Error).message}): ${JSON.stringify(this.text.slice(0, 200))}`);
    }
  }
}
