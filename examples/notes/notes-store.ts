/** The notes, kept in memory for the example (a real app would open a database in its lifespan). */

export interface Note {
  id: number;
  title: string;
  body: string;
  tags: string[];
}

export type NoteInput = Omit<Note, 'id'>;

/** Thrown for an id that has no note; the app's exception handler turns it into a 404. */
export class NoteNotFound extends Error {
  override readonly name = 'NoteNotFound';

  constructor(readonly id: number) {
    super(`note ${id} does not exist`);
  }
}

export class NoteStore {
  readonly #notes = new Map<number, Note>();
  #nextId = 1;

  list(tag?: string): Note[] {
    const notes = [...this.#notes.values()];
    return tag === undefined ? notes : notes.filter((note) => note.tags.includes(tag));
  }

  get(id: number): Note {
    const note = this.#notes.get(id);
    if (!note) throw new NoteNotFound(id);
    return note;
  }

  create(input: NoteInput): Note {
    const note = { id: this.#nextId++, ...input };
    this.#notes.set(note.id, note);
    return note;
  }

  update(id: number, changes: Partial<NoteInput>): Note {
    const note = { ...this.get(id), ...changes, id };
    this.#notes.set(id, note);
    return note;
  }

  delete(id: number): void {
    if (!this.#notes.delete(this.get(id).id)) throw new NoteNotFound(id);
  }
}
