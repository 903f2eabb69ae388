import { describe, expect, it } from '@jest/globals';
import { App, HTMLResponse, PlainTextResponse, Route, TestClient } from '@portico/framework';

describe('PlainTextResponse and HTMLResponse', () => {
  it('send UTF-8 text with their media types and byte lengths', async () => {
    const app = new App({ routes: [new Route('/plain', () => new PlainTextResponse('héllo')), new Route('/html', () => new HTMLResponse('<p>é</p>', { status: 202 }))] });
    const client = new TestClient(app);
    const plain = await client.get('/plain');
    expect([plain.text, plain.headers.get('content-type'), plain.headers.get('content-length')]).toEqual(['héllo', 'text/plain; charset=utf-8', '6']);
    const html = await client.get('/html');
    expect([html.status, html.text, html.headers.get('content-type')]).toEqual([202, '<p>é</p>', 'text/html; charset=utf-8']);
  });
});
