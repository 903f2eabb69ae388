/**
 * Every response that takes an init takes `mediaType`, and each option may be `undefined`: the
 * calls below fail `npm run typecheck` (exactOptionalPropertyTypes) without that.
 */
import { describe, expect, it } from '@jest/globals';
import { FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response, StreamingResponse, type ResponseInit } from '@portico/framework';

/** An option the caller may or may not have, as the API layer forwards a declared media type. */
function declared(value?: string): string | undefined {
  return value;
}

describe('ResponseInit', () => {
  it('is accepted with mediaType by every response, including a streaming one (the README example)', () => {
    async function* ticks(): AsyncGenerator<string> {
      for (let i = 0; i < 3; i++) yield `tick ${i}\n`;
    }
    const responses = [
      new StreamingResponse(ticks(), { mediaType: 'text/plain' }),
      new Response('x', { mediaType: 'text/csv' }),
      new PlainTextResponse('x', { mediaType: 'text/markdown' }),
      new HTMLResponse('x', { mediaType: 'application/xhtml+xml' }),
      new JSONResponse({}, { mediaType: 'application/problem+json' }),
      new RedirectResponse('/', { mediaType: 'text/html' }),
      new FileResponse(__filename, { mediaType: 'text/x-typescript' }),
    ];
    expect(responses.map((response) => response.headers.get('content-type'))).toEqual([
      'text/plain; charset=utf-8',
      'text/csv; charset=utf-8',
      'text/markdown; charset=utf-8',
      'application/xhtml+xml',
      'application/problem+json',
      'text/html; charset=utf-8',
      'text/x-typescript; charset=utf-8',
    ]);
  });

  it('takes undefined for any option, meaning its default', () => {
    const init: ResponseInit = { status: undefined, headers: undefined, mediaType: declared(), background: undefined };
    const streaming = new StreamingResponse(['a'], init);
    const json = new JSONResponse(1, { mediaType: declared() });
    const file = new FileResponse(__filename, { mediaType: declared(), filename: undefined, contentDisposition: undefined });
    const redirect = new RedirectResponse('/next', { status: undefined, mediaType: declared() });
    expect([streaming.status, streaming.headers.has('content-type'), json.headers.get('content-type'), file.headers.has('content-disposition')]).toEqual([200, false, 'application/json', false]);
    expect([redirect.status, redirect.headers.has('content-type'), new StreamingResponse(['a'], { mediaType: declared('text/event-stream') }).headers.get('content-type')]).toEqual([
      307,
      false,
      'text/event-stream; charset=utf-8',
    ]);
  });
});
