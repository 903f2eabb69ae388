/**
 * A notes JSON API: routes with typed path parameters, a `(request, next)` middleware, and
 * exception handlers that answer in JSON; with the batteries: CORS for a browser front end,
 * compression, a session cookie (recently viewed notes), file attachments uploaded as
 * multipart forms, and a static page under /static. Serve it with
 * `npx portico serve examples/notes/app.ts`; test it with the TestClient (see test/app.test.ts).
 */
import { join } from 'node:path';
import {
  App,
  CompressionMiddleware,
  CORSMiddleware,
  HTTPException,
  JSONResponse,
  Middleware,
  Mount,
  RedirectResponse,
  Response,
  SessionMiddleware,
  StaticFiles,
  UploadFile,
  type ExceptionHandler,
  type Request,
} from '@portico/framework';
import { AttachmentNotFound, NoteNotFound, NoteStore, type NoteInput } from './notes-store';
import { settings } from './settings';

/** A request body that is JSON but not a note; answered with 422 and every problem found. */
class InvalidNote extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

const store = (request: Request): NoteStore => request.state['notes'] as NoteStore;

/** Check a JSON body against the note fields; `partial` for PATCH. */
function noteInput(value: unknown, partial: boolean): Partial<NoteInput> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidNote(['the body must be a JSON object']);
  const { title, body, tags, ...extra } = value as Record<string, unknown>;
  const problems = Object.keys(extra).map((key) => `unknown field '${key}'`);
  if (title === undefined ? !partial : typeof title !== 'string' || title.trim() === '') problems.push("'title' must be a non-empty string");
  if (body !== undefined && typeof body !== 'string') problems.push("'body' must be a string");
  if (tags !== undefined && !(Array.isArray(tags) && tags.every((tag) => typeof tag === 'string'))) problems.push("'tags' must be a list of strings");
  if (problems.length > 0) throw new InvalidNote(problems);
  return {
    ...(title !== undefined && { title: title as string }),
    ...(body !== undefined && { body: body as string }),
    ...(tags !== undefined && { tags: tags as string[] }),
  };
}

const httpError: ExceptionHandler = (_request, error) => new JSONResponse({ error: error.detail }, { status: error.statusCode, headers: error.headers });

/** The ids of the notes this visitor opened last, newest first (kept in the session cookie). */
function recent(request: Request): number[] {
  const ids = request.session['recent'];
  return Array.isArray(ids) ? ids.filter((id): id is number => typeof id === 'number') : [];
}

export const app = new App({
  lifespan: () => ({ state: { notes: new NoteStore() } }),
  routes: [new Mount('/static', new StaticFiles({ directory: join(__dirname, 'public'), html: true }), { name: 'static' })],
  middleware: [
    // Outermost: preflights are answered before anything else, and every answer (errors too) gets CORS headers.
    new Middleware(CORSMiddleware, {
      allowOrigins: settings.NOTES_CORS_ORIGINS,
      allowMethods: ['GET', 'POST', 'PATCH', 'DELETE'],
      allowHeaders: ['content-type'],
      allowCredentials: true,
      exposeHeaders: ['location', 'server-timing'],
    }),
    new Middleware(CompressionMiddleware),
    new Middleware(SessionMiddleware, { secretKey: settings.NOTES_SESSION_KEYS, sessionCookie: 'notes_session' }),
  ],
  exceptionHandlers: new Map<number | typeof NoteNotFound | typeof AttachmentNotFound | typeof InvalidNote, ExceptionHandler<never>>([
    [404, httpError],
    [405, httpError],
    [400, httpError],
    [413, httpError],
    [NoteNotFound, (_request, error: NoteNotFound) => new JSONResponse({ error: error.message }, { status: 404 })],
    [AttachmentNotFound, (_request, error: AttachmentNotFound) => new JSONResponse({ error: error.message }, { status: 404 })],
    [InvalidNote, (_request, error: InvalidNote) => new JSONResponse({ error: 'invalid note', problems: error.problems }, { status: 422 })],
  ]),
});

// Every response says how long it took; errors included, since handlers answer inside middleware.
app.use(async (_request, next) => {
  const started = performance.now();
  const response = await next();
  response.headers.set('server-timing', `app;dur=${(performance.now() - started).toFixed(1)}`);
  return response;
});

app.get('/notes', (request) => new JSONResponse(store(request).list(request.queryParams.get('tag'))), { name: 'notes' });

app.post('/notes', async (request) => {
  const input = noteInput(await request.json(), false);
  const note = store(request).create({ title: input.title!, body: input.body ?? '', tags: input.tags ?? [] });
  return new JSONResponse(note, { status: 201, headers: { location: request.urlFor('note', { id: note.id }).path } });
});

app.get(
  '/notes/:id<int>',
  (request) => {
    const { id } = request.pathParams;
    const note = store(request).get(id);
    request.session['recent'] = [id, ...recent(request).filter((seen) => seen !== id)].slice(0, 5);
    return new JSONResponse(note);
  },
  { name: 'note' },
);

app.get('/recent', (request) => new JSONResponse(recent(request)));

app.patch('/notes/:id<int>', async (request) => {
  const changes = noteInput(await request.json(), true);
  return new JSONResponse(store(request).update(request.pathParams.id, changes));
});

app.delete('/notes/:id<int>', (request) => {
  store(request).delete(request.pathParams.id);
  return new Response(null, { status: 204 });
});

// A multipart form with one file field, `file`: a file over the limit is a 413, several files a 400.
app.post('/notes/:id<int>/attachments', async (request) => {
  const { id } = request.pathParams;
  store(request).get(id); // 404 before reading an upload for a note that does not exist
  const file = (await request.form({ maxFiles: 1, maxFields: 10, maxFileSize: settings.NOTES_MAX_ATTACHMENT })).get('file');
  if (!(file instanceof UploadFile)) throw new HTTPException(400, "attach the file as the multipart form field 'file'");
  const filename = file.filename ?? 'attachment';
  store(request).attach(id, { filename, contentType: file.contentType, data: await file.read() });
  const location = request.urlFor('attachment', { id, filename }).path;
  return new JSONResponse({ filename, contentType: file.contentType, size: file.size }, { status: 201, headers: { location } });
});

app.get(
  '/notes/:id<int>/attachments/:filename',
  (request) => {
    const { data, contentType, filename } = store(request).attachment(request.pathParams.id, request.pathParams.filename);
    // Uploaded content is the user's: download it, never render it as a page of this site.
    const headers = { 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`, 'x-content-type-options': 'nosniff' };
    return new Response(data, { mediaType: contentType, headers });
  },
  { name: 'attachment' },
);

app.get('/', (request) => new RedirectResponse(request.urlFor('static', { path: '/' }).path));
