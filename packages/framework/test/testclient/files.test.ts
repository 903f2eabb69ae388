import { describe, expect, it } from '@jest/globals';
import { App, JSONResponse, RedirectResponse, TestClient, UploadFile, type Request } from '@portico/framework';

/** Every part of the form as the app parsed it: text fields as strings, files described. */
async function describeForm(request: Request): Promise<JSONResponse> {
  const form = await request.form();
  const parts = await Promise.all(
    [...form].map(async ([name, value]) =>
      typeof value === 'string' ? [name, value] : [name, { filename: value.filename, type: value.contentType, content: Buffer.from(await value.read()).toString('latin1') }],
    ),
  );
  return new JSONResponse({ contentType: request.headers.get('content-type'), contentLength: request.headers.get('content-length'), parts });
}

const app = new App()
  .post('/upload', describeForm)
  .post('/moved', () => new RedirectResponse('/method', { status: 303 }))
  .get('/method', (request) => new JSONResponse({ method: request.method, contentType: request.headers.get('content-type') ?? null }));
const client = new TestClient(app);

describe('TestClient files', () => {
  it('uploads files with form fields as multipart/form-data that request.form() reads back', async () => {
    const response = await client.post('/upload', {
      files: { notes: ['notes.txt', 'milk\r\neggs', 'text/plain'], photo: ['photo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff])] },
      form: { title: 'Groceries', tag: ['a', 'b'] },
    });
    const { contentType, contentLength, parts } = response.json() as { contentType: string; contentLength: string; parts: unknown[] };
    expect(contentType).toMatch(/^multipart\/form-data; boundary=----PorticoFormBoundary[0-9a-f]{24}$/);
    expect(Number(contentLength)).toBeGreaterThan(0);
    expect(parts).toEqual([
      ['title', 'Groceries'],
      ['tag', 'a'],
      ['tag', 'b'],
      ['notes', { filename: 'notes.txt', type: 'text/plain', content: 'milk\r\neggs' }],
      ['photo', { filename: 'photo.png', type: 'image/png', content: '\x89PNG\x00\xff' }], // the type guessed from the name
    ]);
  });

  it('sends several files under one field, in order, and a file without a known type as octet-stream', async () => {
    const response = await client.post('/upload', { files: { attachments: [['a.txt', 'first'], ['b.unknownext', 'second'], ['c.json', '{}', 'application/json']] } });
    expect((response.json() as { parts: unknown[] }).parts).toEqual([
      ['attachments', { filename: 'a.txt', type: 'text/plain', content: 'first' }],
      ['attachments', { filename: 'b.unknownext', type: 'application/octet-stream', content: 'second' }],
      ['attachments', { filename: 'c.json', type: 'application/json', content: '{}' }],
    ]);
  });

  it('keeps names intact: UTF-8 as it is, quotes and line breaks percent-encoded as browsers do', async () => {
    const app = new App().post('/', async (request) => {
      const file = (await request.form()).get('résumé');
      return new JSONResponse(file instanceof UploadFile ? file.filename : null);
    });
    expect((await new TestClient(app).post('/', { files: { résumé: ['my "cv"\n.pdf', 'x'] } })).json()).toBe('my %22cv%22%0A.pdf');
  });

  it('drops the files when a 303 turns the request into a GET', async () => {
    expect((await client.post('/moved', { files: { file: ['a.txt', 'x'] } })).json()).toEqual({ method: 'GET', contentType: null });
  });

  it('says what a file entry must be when it is something else', async () => {
    const wrong = { file: 'content' } as unknown as Record<string, [string, string]>;
    await expect(client.post('/upload', { files: wrong })).rejects.toThrow(
      "TestClient files['file'] must be [filename, content, contentType?] (content a string or Uint8Array) or a list of them, got string",
    );
    await expect(client.post('/upload', { files: { file: [['a.txt', 42 as unknown as string]] } })).rejects.toThrow(/got an array of 1$/);
  });
});
