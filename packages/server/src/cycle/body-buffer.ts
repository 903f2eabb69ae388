/**
 * How many body bytes a transport holds at once: the request body queued for the app before its
 * source is paused, a response body waiting for a slow client, a file read ahead of the writes.
 */
export const BODY_BUFFER_SIZE = 64 * 1024;
