/**
 * A `fetch` that goes through the framework's TestClient instead of the network, so the typed
 * client can be tested against an Api in memory: `createClient<typeof api>('http://testserver', { fetch: testClientFetch(client) })`.
 */
import type { TestClient } from '@portico/framework';

/** The `fetch` signature the typed client needs. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<globalThis.Response>;

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

async function bodyOf(body: RequestInit['body']): Promise<{ bytes?: Uint8Array; contentType?: string }> {
  if (body === undefined || body === null) return {};
  // Let the platform encode FormData, URLSearchParams, Blob and strings, multipart boundary included.
  const encoded = new globalThis.Request('http://body.invalid/', { method: 'POST', body });
  const bytes = new Uint8Array(await encoded.arrayBuffer());
  const contentType = encoded.headers.get('content-type');
  return contentType === null ? { bytes } : { bytes, contentType };
}

/**
 * A fetch-compatible function answering through a TestClient (its cookies, lifespan and error
 * re-throwing included).
 *
 * @example
 * const testClient = new TestClient(api);
 * const client = createClient<typeof api>('http://testserver', { fetch: testClientFetch(testClient) });
 * const { status, data } = await client.get('/items/:id<int>', { params: { id: 1 } });
 */
export function testClientFetch(client: TestClient): FetchLike {
  return async function testClientFetch(input, init = {}) {
    const url = new globalThis.URL(input);
    const headers: Record<string, string> = {};
    new globalThis.Headers(init.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const { bytes, contentType } = await bodyOf(init.body);
    if (contentType !== undefined && headers['content-type'] === undefined) headers['content-type'] = contentType;
    const answer = await client.request(init.method ?? 'GET', url.href, {
      headers,
      ...(bytes !== undefined && { body: bytes }),
      ...(init.signal ? { signal: init.signal } : {}),
      followRedirects: init.redirect !== 'manual',
    });
    const responseHeaders = new globalThis.Headers();
    for (const [name, value] of answer.headers) responseHeaders.append(name, value);
    return new globalThis.Response(NULL_BODY.has(answer.status) ? null : answer.body, { status: answer.status, headers: responseHeaders });
  };
}
