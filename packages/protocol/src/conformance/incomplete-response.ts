import type { ConformanceResponse } from './types';

/**
 * A response cut off after its head: the connection closed before the framing ended (HTTP/1.1) or
 * the stream was reset (HTTP/2). `RunningHost.request` rejects with it, so a cut response never
 * passes for a complete one, and `response` holds what arrived before the cut.
 */
export class IncompleteResponseError extends Error {
  override readonly name = 'IncompleteResponseError';
  /** The head and the body bytes received before the cut (no trailers). */
  readonly response: ConformanceResponse;

  constructor(response: ConformanceResponse, reason: string) {
    super(`${reason} (status ${response.status}, ${response.body.length} body bytes received)`);
    this.response = response;
  }
}
