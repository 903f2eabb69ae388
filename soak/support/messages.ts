/** What the soak server child and its parent tell each other over IPC. */

/** What a server process holds right now. */
export interface ServerStats {
  /** Resident set size, bytes. */
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** Open file descriptors (/proc/self/fd). */
  fds: number;
  /** `process.getActiveResourcesInfo()` counted by kind: TCPSocketWrap, Timeout, FSReqCallback... */
  resources: Record<string, number>;
  /** Entries in SOAK_DIR: uploads written and temp files spooled there. */
  files: number;
  /** Timers alive, unref'd ones included; null unless the server was started with `trackTimers`. */
  timers: number | null;
}

export type ParentMessage = { kind: 'stats'; id: number; collect: boolean } | { kind: 'stop' };

export type ChildMessage = { kind: 'listening'; url: string } | { kind: 'stats'; id: number; stats: ServerStats };
