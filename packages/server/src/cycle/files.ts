/**
 * How a host reads the files of `http.response.pathsend`. A separate part, so that a host for a
 * runtime without a file system (the fetch handler on Workers) can leave pathsend out.
 */
export interface FileAccess {
  /** The file's size in bytes; rejects when `path` is not a regular file. */
  size(path: string): Promise<number>;
  /**
   * Stream the file as body chunks through `write`, which resolves once the transport took each
   * one (so a slow client slows the reading); stops early when `gone()` says the client left.
   */
  stream(path: string, write: (chunk: Uint8Array) => Promise<void>, gone: () => boolean): Promise<void>;
}
