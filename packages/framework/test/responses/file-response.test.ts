import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { App, FileResponse, FileResponseError, Route, TestClient } from '@portico/framework';

const dir = mkdtempSync(join(tmpdir(), 'portico-file-response-'));
const file = join(dir, 'notes.txt');
const content = 'abcdefghijklmnopqrstuvwxyz'.repeat(10_000); // 260 000 bytes: several read chunks
writeFileSync(file, content);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const app = new App({
  routes: [
    new Route('/file', () => new FileResponse(file)),
    new Route('/download', () => new FileResponse(file, { filename: 'résumé notes.txt' })),
    new Route('/report', () => new FileResponse(file, { filename: '报告 2024.txt' })),
    new Route('/quoted', () => new FileResponse(file, { filename: 'say "hi".txt', contentDisposition: 'inline' })),
    new Route('/missing', () => new FileResponse(join(dir, 'nope.txt'))),
    new Route('/dir', () => new FileResponse(dir)),
  ],
});
// Both ways of sending: through the host (pathsend) and read in chunks by the framework.
const viaPathsend = new TestClient(app);
const viaChunks = new TestClient(app, { extensions: {} });

describe('FileResponse', () => {
  it.each([
    ['pathsend', viaPathsend],
    ['chunked reads', viaChunks],
  ])('sends the whole file with length, type, Last-Modified and ETag (%s)', async (_how, client) => {
    const response = await client.get('/file');
    expect(response.status).toBe(200);
    expect(response.text).toBe(content);
    expect(response.headers.get('content-length')).toBe(String(content.length));
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('last-modified')).toBe(statSync(file).mtime.toUTCString());
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(response.headers.get('accept-ranges')).toBe('bytes');
  });

  it('answers 304 to If-None-Match (weak comparison, lists, *) and to If-Modified-Since', async () => {
    const { headers } = await viaChunks.get('/file');
    const etag = headers.get('etag')!;
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const response = await viaChunks.get('/file', { headers: { 'if-none-match': ifNoneMatch } });
      expect([response.status, response.body.length, response.headers.get('etag'), response.headers.has('content-length')]).toEqual([304, 0, etag, false]);
    }
    expect((await viaChunks.get('/file', { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
    expect((await viaChunks.get('/file', { headers: { 'if-modified-since': headers.get('last-modified')! } })).status).toBe(304);
    expect((await viaChunks.get('/file', { headers: { 'if-modified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' } })).status).toBe(200);
  });

  it('answers one range with 206 and Content-Range, suffix and open ranges included', async () => {
    const cases: Array<[string, string, string]> = [
      ['bytes=0-4', 'abcde', `bytes 0-4/${content.length}`],
      ['bytes=-3', 'xyz', `bytes ${content.length - 3}-${content.length - 1}/${content.length}`],
      [`bytes=${content.length - 2}-`, 'yz', `bytes ${content.length - 2}-${content.length - 1}/${content.length}`],
      ['bytes=0-2, 1-4', 'abcde', `bytes 0-4/${content.length}`],
      [`bytes=100000-${content.length + 50}`, content.slice(100000), `bytes 100000-${content.length - 1}/${content.length}`],
    ];
    for (const [range, body, contentRange] of cases) {
      const response = await viaChunks.get('/file', { headers: { range } });
      expect([response.status, response.text === body, response.headers.get('content-range'), response.headers.get('content-length')]).toEqual([206, true, contentRange, String(Buffer.byteLength(body))]);
    }
  });

  it('answers several ranges as multipart/byteranges', async () => {
    const response = await viaChunks.get('/file', { headers: { range: 'bytes=0-1,10-12' } });
    expect(response.status).toBe(206);
    const boundary = /^multipart\/byteranges; boundary=(\w+)$/.exec(response.headers.get('content-type')!)![1]!;
    expect(response.text).toBe(
      `--${boundary}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-range: bytes 0-1/${content.length}\r\n\r\nab` +
        `\r\n--${boundary}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-range: bytes 10-12/${content.length}\r\n\r\nklm` +
        `\r\n--${boundary}--\r\n`,
    );
    expect(response.headers.get('content-length')).toBe(String(response.body.length));
  });

  it('answers 416 when no range fits, and ignores a Range it cannot read', async () => {
    for (const range of [`bytes=${content.length}-`, 'bytes=9-3']) {
      const response = await viaChunks.get('/file', { headers: { range } });
      expect([response.status, response.headers.get('content-range'), response.body.length]).toEqual([416, `bytes */${content.length}`, 0]);
    }
    for (const range of ['items=0-1', 'bytes=a-b', 'bytes=-']) {
      expect((await viaChunks.get('/file', { headers: { range } })).status).toBe(200);
    }
  });

  it('honours If-Range: a stale validator gets the whole file', async () => {
    const { headers } = await viaChunks.get('/file');
    expect((await viaChunks.get('/file', { headers: { range: 'bytes=0-0', 'if-range': headers.get('etag')! } })).status).toBe(206);
    expect((await viaChunks.get('/file', { headers: { range: 'bytes=0-0', 'if-range': '"stale"' } })).status).toBe(200);
    expect((await viaChunks.get('/file', { headers: { range: 'bytes=0-0', 'if-range': headers.get('last-modified')! } })).status).toBe(206);
  });

  it('sends headers only for HEAD', async () => {
    const response = await viaPathsend.head('/file');
    expect([response.status, response.body.length, response.headers.get('content-length')]).toEqual([200, 0, String(content.length)]);
  });

  it('offers a download with an RFC 6266 filename', async () => {
    const response = await viaChunks.get('/download');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="r_sum_ notes.txt"; filename*=UTF-8''r%C3%A9sum%C3%A9%20notes.txt`);
  });

  it('names any file in RFC 6266 form (content-disposition): non-Latin names, quotes escaped, inline', async () => {
    expect((await viaChunks.get('/report')).headers.get('content-disposition')).toBe(`attachment; filename="__ 2024.txt"; filename*=UTF-8''%E6%8A%A5%E5%91%8A%202024.txt`);
    // A quote is escaped in the quoted string (RFC 9110 §5.6.4) rather than replaced.
    expect((await viaChunks.get('/quoted')).headers.get('content-disposition')).toBe('inline; filename="say \\"hi\\".txt"');
  });

  it('answers a Cache-Control: no-cache request with the whole file even when it matches (fresh)', async () => {
    const etag = (await viaChunks.get('/file')).headers.get('etag')!;
    expect((await viaChunks.get('/file', { headers: { 'if-none-match': etag, 'cache-control': 'no-cache' } })).status).toBe(200);
  });

  it('sends the whole file for a suffix longer than it, and several ranges in the order asked (range-parser)', async () => {
    const whole = await viaChunks.get('/file', { headers: { range: 'bytes=-999999999' } });
    expect([whole.status, whole.headers.get('content-range'), whole.text === content]).toEqual([206, `bytes 0-${content.length - 1}/${content.length}`, true]);
    const reversed = await viaChunks.get('/file', { headers: { range: 'bytes=10-12,0-1' } });
    expect(reversed.text.indexOf('klm')).toBeLessThan(reversed.text.indexOf('\r\n\r\nab'));
  });

  it('fails with a clear error (a 500 to the client) for a missing file or a directory', async () => {
    await expect(viaChunks.get('/missing')).rejects.toThrow(FileResponseError);
    await expect(viaChunks.get('/missing')).rejects.toThrow(/cannot send '.*nope\.txt': ENOENT/);
    await expect(viaChunks.get('/dir')).rejects.toThrow(/it is not a regular file/);
    expect((await new TestClient(app, { raiseServerExceptions: false }).get('/missing')).status).toBe(500);
  });
});
