import { describe, expect, it } from '@jest/globals';
import { EventSourceResponse, FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response, StreamingResponse } from '@portico/framework';
import { expectTypeError } from './support/type-error';

/** Every response class: each wrong argument is a TypeError when the response is built, before anything is sent. */
const bad = (value: unknown): never => value as never;
async function* ticks(): AsyncGenerator<string> {
  yield 'tick';
}

const cases: ReadonlyArray<[string, () => unknown, string]> = [
  ['init as a status number', () => new JSONResponse({ ok: true }, bad(201)), 'new JSONResponse(content, init) takes an init object { status, headers, mediaType, background }, got number 201 (write { status: 201 })'],
  ['status out of range', () => new Response('', { status: 1000 }), 'new Response(content, { status }) takes an HTTP status code (an integer from 100 to 599), got number 1000'],
  ['status as a string', () => new PlainTextResponse('', { status: bad('404') }), 'new PlainTextResponse(content, { status }) takes an HTTP status code (an integer from 100 to 599), got string "404"'],
  ['mediaType not a string', () => new HTMLResponse('', { mediaType: bad(['text/html']) }), 'new HTMLResponse(content, { mediaType }) takes a string such as \'text/csv\', got an array of 1'],
  ['background not a task', () => new Response('', { background: bad('send email') }), 'new Response(content, { background }) takes a BackgroundTask, BackgroundTasks or a function, got string "send email"'],
  ['headers not an object', () => new Response('', { headers: bad('x-a: 1') }), 'headers takes an object { name: value } or [name, value] pairs, got string "x-a: 1"'],
  ['header value a number', () => new Response('', { headers: bad({ 'x-count': 5 }) }), "headers takes string names and values, got number 5 for 'x-count' (write String(5))"],
  ['header pair incomplete', () => new Response('', { headers: bad([['x-a']]) }), 'headers takes string names and values, got an array of 1'],
  ['text content an object', () => new PlainTextResponse(bad({ a: 1 })), 'PlainTextResponse content must be a string, a Uint8Array or nothing, got an object with keys a; use JSONResponse for other values'],
  ['JSON content a function', () => new JSONResponse(ticks), 'JSONResponse content must be a JSON value, got an async generator function (ticks)'],
  ['redirect without a URL', () => new RedirectResponse(bad(undefined)), 'new RedirectResponse(url) takes a string or a URL, got undefined'],
  ['redirect init as a status', () => new RedirectResponse('/', bad(303)), 'new RedirectResponse(content, init) takes an init object { status, headers, mediaType, background }, got number 303 (write { status: 303 })'],
  ['streaming a generator function not called', () => new StreamingResponse(bad(ticks)), 'new StreamingResponse(content) takes an async iterable or an iterable of chunks (strings or Uint8Arrays) (an async generator, say), got an async generator function (ticks) (call it: ticks())'],
  ['streaming a string', () => new StreamingResponse(bad('text')), 'new StreamingResponse(content) takes an async iterable or an iterable of chunks (strings or Uint8Arrays) (an async generator, say), got string "text"'],
  ['event source of nothing', () => new EventSourceResponse(bad(null)), 'EventSourceResponse takes an async iterable or an iterable of events (an async generator, say), got null'],
  ['event source pingInterval', () => new EventSourceResponse([], { pingInterval: bad('15s') }), 'EventSourceResponse pingInterval is a number of milliseconds (0 or false to turn it off), got 15s'],
  ['file without a path', () => new FileResponse(bad(undefined)), 'new FileResponse(path) takes the path of a file, got undefined'],
  ['file filename', () => new FileResponse('a.txt', { filename: bad(7) }), 'new FileResponse(path, { filename }) takes a string, got number 7'],
  ['file contentDisposition', () => new FileResponse('a.txt', { contentDisposition: bad('download') }), "new FileResponse(path, { contentDisposition }) takes 'attachment' or 'inline', got string \"download\""],
  ['file init as a status', () => new FileResponse('a.txt', bad(200)), 'new FileResponse(content, init) takes an init object { status, headers, mediaType, background }, got number 200 (write { status: 200 })'],
];

describe('constructor checks: responses', () => {
  it.each(cases)('%s', (_name, build, message) => expectTypeError(build, message));

  it('accepts what the types allow', () => {
    expect(() => [
      new Response(null, { status: 204, headers: [['x-a', '1']], mediaType: 'text/csv', background: () => undefined }),
      new RedirectResponse(new globalThis.URL('https://example.com/')),
      new StreamingResponse(ticks()),
      new FileResponse('a.txt', { filename: 'a.txt', contentDisposition: 'inline' }),
    ]).not.toThrow();
  });
});
