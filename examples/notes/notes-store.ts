/** The notes, kept in memory for the example (a real app would open a database in its lifespan). */

export interface Note {
  id: number;
  title: string;
  body: string;
  tags: string[];
}

export type NoteInput = Omit<Note, 'id'>;

/** A file attached to a note (kept in memory, like the notes). */
export interface Attachment {
  filename: string;
  contentType: string;
  data: Uint8Array;
}

/** Thrown for an id that has no note; the app's exception handler turns it into a 404. */
export class NoteNotFound extends Error {
  override readonly name = 'NoteNotFound';

  constructor(readonly id: number) {
    super(`note ${id} does not exist`);
  }
}

/** Thrown for a file name a note has no attachment for. */
export class AttachmentNotFound extends Error {
  override readonly name = 'AttachmentNotFound';

  constructor(
    readonly id: number,
    readonly filename: string,
  ) {
    super(`note ${id} has no attachment '${filename}'`);
  }
}

export class NoteStore {
  readonly #notes = new Map<number, Note>();
  readonly #attachments = new Map<number, Map<string, Attachment>>();
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
    this.#attachments.delete(id);
  }

  /** Attach a file to a note, replacing one of the same name. */
  attach(id: number, attachment: Attachment): void {
    this.get(id);
    let files = this.#attachments.get(id);
    if (!files) this.#attachments.set(id, (files = new Map()));
    files.set(attachment.filename, attachment);
  }

  attachment(id: number, filename: string): Attachment {
    const attachment = this.#attachments.get(this.get(id).id)?.get(filename);
    if (!attachment) throw new AttachmentNotFound(id, filename);
    return attachment;
  }
}
