/**
 * A tasks API on @portico/api: validated CRUD, bearer authentication, a per-request database
 * connection given back after the response, a database opened once per process (a lifespan
 * dependency), attachments uploaded as multipart forms and a server-sent events feed of changes.
 * OpenAPI at /openapi.json, Swagger UI at /docs, ReDoc at /redoc.
 *
 * Serve it: `npx portico serve examples/api/app.ts`; try it with a token from USERS below:
 * `curl -H 'authorization: Bearer ada-token' localhost:8000/tasks`.
 */
import { Api, ApiRouter, depends, HTTPBearer, HTTPException, multipart, uploadFile, type DependencyContext, type HTTPAuthorizationCredentials } from '@portico/api';
import { EventSourceResponse } from '@portico/framework';
import { z } from 'zod';
import { Attachment, Database, Task, TaskInput, TaskPatch, type Connection } from './database';

/** Tokens and who they belong to; a real app would verify a signed token instead. */
export const USERS: ReadonlyMap<string, { name: string }> = new Map([
  ['ada-token', { name: 'ada' }],
  ['grace-token', { name: 'grace' }],
]);

/** One database per process: opened at startup, closed at shutdown. */
export const database = depends(
  function* openDatabase() {
    const db = new Database();
    yield db;
    db.close();
  },
  { scope: 'lifespan' },
);

/** One connection per request, given back to the pool after the response (also when it failed). */
export const connection = depends(
  function* borrowConnection({ deps }: DependencyContext<{ database: Database }>) {
    const borrowed = deps.database.acquire();
    try {
      yield borrowed;
    } finally {
      borrowed.release();
    }
  },
  { dependencies: { database } },
);

const bearer = new HTTPBearer({ description: `A token from the app's USERS table, e.g. 'ada-token'` });

/** The signed-in user, from the bearer token. */
export const currentUser = depends(
  function currentUser({ deps }: DependencyContext<{ credentials: HTTPAuthorizationCredentials }>) {
    const user = USERS.get(deps.credentials.credentials);
    if (!user) throw new HTTPException(401, 'Invalid token', { 'www-authenticate': 'Bearer error="invalid_token"' });
    return user;
  },
  { dependencies: { credentials: bearer } },
);

const NotFound = z.object({ detail: z.string() }).meta({ id: 'NotFound' });
const TaskId = z.object({ id: z.coerce.number().int().positive() });

function found(db: Connection, owner: string, id: number): Task {
  const task = db.find(owner, id);
  if (!task) throw new HTTPException(404, `Task ${id} not found`);
  return task;
}

/** What every task endpoint uses: the signed-in user and a connection. */
const signedIn = { user: currentUser, db: connection };

const tasks = new ApiRouter({ tags: ['tasks'], responses: { 404: { schema: NotFound, description: 'No such task' } } })
  .get(
    '/tasks',
    {
      summary: 'List your tasks',
      dependencies: signedIn,
      query: z.object({ done: z.boolean().optional(), tag: z.array(z.string()).default([]), limit: z.number().int().min(1).max(100).default(20) }),
      responses: { 200: z.array(Task) },
    },
    ({ query, deps }) =>
      deps.db
        .tasksOf(deps.user.name)
        .filter((task) => (query.done === undefined || task.done === query.done) && query.tag.every((tag) => task.tags.includes(tag)))
        .slice(0, query.limit),
  )
  .post('/tasks', { summary: 'Create a task', dependencies: signedIn, body: TaskInput, status: 201, responses: { 201: Task } }, ({ body, deps }) => deps.db.insert(deps.user.name, body))
  .get('/tasks/:id', { summary: 'Read a task', params: TaskId, dependencies: signedIn, responses: { 200: Task } }, ({ params, deps }) => found(deps.db, deps.user.name, params.id))
  .patch('/tasks/:id', { summary: 'Change a task', params: TaskId, dependencies: signedIn, body: TaskPatch, responses: { 200: Task } }, ({ params, body, deps }) =>
    deps.db.update(found(deps.db, deps.user.name, params.id), body),
  )
  .delete('/tasks/:id', { summary: 'Delete a task', params: TaskId, dependencies: signedIn, status: 204 }, ({ params, deps }) => {
    deps.db.remove(found(deps.db, deps.user.name, params.id));
  })
  .post(
    '/tasks/:id/attachments',
    { summary: 'Attach a file', params: TaskId, dependencies: signedIn, body: multipart(z.object({ file: uploadFile() })), status: 201, responses: { 201: Attachment } },
    async ({ params, body, deps }) => {
      const task = found(deps.db, deps.user.name, params.id);
      const attachment = { filename: body.file.filename ?? 'upload', contentType: body.file.contentType, size: (await body.file.read()).length };
      deps.db.attach(task, attachment);
      return attachment;
    },
  )
  .get('/tasks/:id/attachments', { summary: 'List the attachments of a task', params: TaskId, dependencies: signedIn, responses: { 200: z.array(Attachment) } }, ({ params, deps }) =>
    deps.db.attachmentsOf(found(deps.db, deps.user.name, params.id)),
  );

export const api = new Api({
  title: 'Tasks',
  version: '1.0.0',
  description: 'A tasks API built with @portico/api: bearer tokens `ada-token` and `grace-token` sign in.',
})
  .get('/health', { summary: 'Liveness and pool use', tags: ['ops'], dependencies: { database }, responses: { 200: z.object({ status: z.literal('ok'), connectionsInUse: z.number().int() }) } }, ({ deps }) => ({
    status: 'ok' as const,
    connectionsInUse: deps.database.connectionsInUse,
  }))
  .get('/me', { summary: 'Who the token belongs to', tags: ['users'], dependencies: { user: currentUser } }, ({ deps }) => deps.user)
  .get(
    '/events',
    {
      summary: 'Your task changes as server-sent events',
      description: 'Replays the changes after `Last-Event-ID`, then follows new ones.',
      tags: ['tasks'],
      headers: z.object({ lastEventId: z.coerce.number().int().min(0).default(0) }),
      dependencies: { user: currentUser, database },
      responses: { 200: { description: 'An event stream: `created`, `updated` or `deleted`, data the task', mediaType: 'text/event-stream' } },
    },
    ({ headers, deps }) =>
      new EventSourceResponse(
        (async function* () {
          for await (const event of deps.database.events(deps.user.name, headers.lastEventId)) yield { id: event.id, event: event.kind, data: event.task };
        })(),
      ),
  )
  .include(tasks);

export type TasksApi = typeof api;

export const app = api;
