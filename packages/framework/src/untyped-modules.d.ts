/** mime-db ships no types and @types/mime-db is not a dependency: the part the framework reads. */
declare module 'mime-db' {
  interface MimeEntry {
    readonly source?: string;
    readonly charset?: string;
    readonly compressible?: boolean;
    readonly extensions?: readonly string[];
  }
  const db: Readonly<Record<string, MimeEntry | undefined>>;
  export = db;
}
