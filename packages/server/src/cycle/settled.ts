/** The already-settled promises transports return on their fast paths: one of each, shared. */
export const RESOLVED: Promise<void> = Promise.resolve();
/** `readBody()`'s answer once the body ended or the client left. */
export const NO_CHUNK: Promise<Uint8Array | null> = Promise.resolve(null);
