/**
 * A notes JSON API: routes with typed path parameters, a `(request, next)` middleware, and
 * exception handlers that answer in JSON. Serve it with `npx portico serve examples/notes/app.ts`;
 * test it with the TestClient (see test/app.test.ts).
 */
import { App, HTTPException, JSONResponse, Response, type ExceptionHandler, type Request } from '@portico/framework';
import { NoteNotFound, NoteStore, type NoteInput } from './notes-store';

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

export const app = new App({
  lifespan: () => ({ state: { notes: new NoteStore() } }),
  exceptionHandlers: new Map<number | typeof NoteNotFound | typeof InvalidNote, ExceptionHandler<never>>([
    [404, httpError],
    [405, httpError],
    [400, httpError],
    [NoteNotFound, (_request, error: NoteNotFound) => new JSONResponse({ error: error.message }, { status: 404 })],
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

app.get('/notes/:id<int>', (request) => new JSONResponse(store(request).get(request.pathParams.id)), { name: 'note' });

app.patch('/notes/:id<int>', async (request) => {
  const changes = noteInput(await request.json(), true);
  return new JSONResponse(store(request).update(request.pathParams.id, changes));
});

app.delete('/notes/:id<int>', (request) => {
  store(request).delete(request.pathParams.id);
  return new Response(null, { status: 204 });
});

app.get('/', () => {
  throw new HTTPException(404, 'try /notes');
});
