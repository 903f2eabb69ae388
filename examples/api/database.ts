/**
 * An in-memory stand-in for a database with a connection pool: the app opens it once at startup
 * (a lifespan-scoped dependency), each request borrows a connection and gives it back after the
 * response (a dependency with cleanup), and every change is appended to an event log that the
 * server-sent events feed replays and follows.
 */
import { z } from 'zod';

export const Priority = z.enum(['low', 'normal', 'high']);

export const Task = z
  .object({
    id: z.number().int(),
    title: z.string(),
    done: z.boolean(),
    priority: Priority,
    tags: z.array(z.string()),
    owner: z.string(),
  })
  .meta({ id: 'Task' });

const TaskFields = z.object({
  title: z.string().trim().min(1).max(200),
  done: z.boolean(),
  priority: Priority,
  tags: z.array(z.string().min(1)).max(10),
});

export const TaskInput = TaskFields.extend({
  done: TaskFields.shape.done.default(false),
  priority: TaskFields.shape.priority.default('normal'),
  tags: TaskFields.shape.tags.default([]),
}).meta({ id: 'TaskInput' });

/** Without the defaults: a field left out of a PATCH stays as it is. */
export const TaskPatch = TaskFields.partial().meta({ id: 'TaskPatch' });

export const Attachment = z.object({ filename: z.string(), contentType: z.string(), size: z.number().int() }).meta({ id: 'Attachment' });

export type Task = z.output<typeof Task>;
export type TaskInput = z.output<typeof TaskInput>;
export type TaskPatch = z.output<typeof TaskPatch>;
export type Attachment = z.output<typeof Attachment>;

/** A change to a task, as the event feed sends it. */
export interface TaskEvent {
  readonly id: number;
  readonly kind: 'created' | 'updated' | 'deleted';
  readonly task: Task;
}

/** A borrowed connection: what a request reads and writes through. */
export class Connection {
  readonly #database: Database;
  #released = false;

  constructor(database: Database) {
    this.#database = database;
  }

  tasksOf(owner: string): Task[] {
    return [...this.#open().tasks.values()].filter((task) => task.owner === owner);
  }

  find(owner: string, id: number): Task | undefined {
    const task = this.#open().tasks.get(id);
    return task?.owner === owner ? task : undefined;
  }

  insert(owner: string, input: TaskInput): Task {
    const database = this.#open();
    const task = { id: database.nextId(), ...input, owner };
    database.tasks.set(task.id, task);
    database.record('created', task);
    return task;
  }

  update(task: Task, patch: TaskPatch): Task {
    const database = this.#open();
    const updated: Task = {
      ...task,
      title: patch.title ?? task.title,
      done: patch.done ?? task.done,
      priority: patch.priority ?? task.priority,
      tags: patch.tags ?? task.tags,
    };
    database.tasks.set(task.id, updated);
    database.record('updated', updated);
    return updated;
  }

  remove(task: Task): void {
    const database = this.#open();
    database.tasks.delete(task.id);
    database.attachments.delete(task.id);
    database.record('deleted', task);
  }

  attach(task: Task, attachment: Attachment): void {
    const list = this.#open().attachments.get(task.id) ?? [];
    list.push(attachment);
    this.#database.attachments.set(task.id, list);
  }

  attachmentsOf(task: Task): Attachment[] {
    return this.#open().attachments.get(task.id) ?? [];
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#database.returned(this);
  }

  #open(): Database {
    if (this.#released) throw new Error('this connection was given back to the pool');
    return this.#database;
  }
}

export class Database {
  readonly tasks = new Map<number, Task>();
  readonly attachments = new Map<number, Attachment[]>();
  readonly log: TaskEvent[] = [];
  readonly #inUse = new Set<Connection>();
  readonly #listeners = new Set<() => void>();
  #lastId = 0;
  #closed = false;

  /** Connections borrowed and not yet given back. */
  get connectionsInUse(): number {
    return this.#inUse.size;
  }

  get closed(): boolean {
    return this.#closed;
  }

  acquire(): Connection {
    if (this.#closed) throw new Error('the database is closed');
    const connection = new Connection(this);
    this.#inUse.add(connection);
    return connection;
  }

  returned(connection: Connection): void {
    this.#inUse.delete(connection);
  }

  nextId(): number {
    return ++this.#lastId;
  }

  record(kind: TaskEvent['kind'], task: Task): void {
    this.log.push({ id: this.log.length + 1, kind, task });
    for (const listener of this.#listeners) listener();
  }

  /**
   * The owner's events after `lastEventId`, then each new one as it happens, until the consumer
   * stops or the database closes.
   */
  async *events(owner: string, lastEventId = 0): AsyncGenerator<TaskEvent, void, undefined> {
    let seen = lastEventId;
    let wake: (() => void) | undefined;
    const listener = (): void => wake?.();
    this.#listeners.add(listener);
    try {
      while (!this.#closed) {
        while (seen < this.log.length) {
          const event = this.log[seen++]!;
          if (event.task.owner === owner) yield event;
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      this.#listeners.delete(listener);
    }
  }

  /** Feeds following the log; each ends when the database closes. */
  get followers(): number {
    return this.#listeners.size;
  }

  close(): void {
    this.#closed = true;
    for (const listener of this.#listeners) listener();
  }
}
