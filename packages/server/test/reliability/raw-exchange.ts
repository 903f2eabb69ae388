import { RawClient, type RawResponse } from '../support/raw-http';

export interface Exchange {
  responses: RawResponse[];
  /** Statuses in order; -1 for a response cut off or without an HTTP head. */
  statuses: number[];
  /** The server closed the connection (rather than going quiet with it open). */
  closed: boolean;
}

/** Send `raw` in one write and read every response until the server closes or stays quiet for `quietMs`. */
export async function exchange(port: number, raw: string | Uint8Array, quietMs = 150): Promise<Exchange> {
  const client = await RawClient.connect({ port });
  const responses: RawResponse[] = [];
  const statuses: number[] = [];
  try {
    client.write(typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw);
    for (;;) {
      if (client.pending.length === 0) {
        let timer: NodeJS.Timeout | undefined;
        const quiet = new Promise<'quiet'>((resolve) => (timer = setTimeout(() => resolve('quiet'), quietMs)));
        const outcome = await Promise.race([client.untilReceived(1), quiet]);
        clearTimeout(timer);
        if (outcome === 'quiet') return { responses, statuses, closed: false };
        if (client.pending.length === 0) return { responses, statuses, closed: true };
      }
      try {
        const response = await client.readResponse();
        responses.push(response);
        statuses.push(response.status);
      } catch {
        return { responses, statuses: [...statuses, -1], closed: true };
      }
    }
  } finally {
    client.close();
  }
}
