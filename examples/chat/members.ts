import { createClient } from '@redis/client';

/**
 * How many are in each room, counted where every process sees the same number: in this
 * process's memory for `memory://`, in a Redis hash for `redis://`. A process killed without
 * its shutdown leaves its members counted; a real deployment would keep presence in keys that
 * expire unless renewed.
 */
export interface RoomMembers {
  /** Counts one more member in the room; resolves with the new count. */
  join(room: string): Promise<number>;
  /** Counts one fewer; resolves with the new count. */
  leave(room: string): Promise<number>;
  close(): Promise<void>;
}

/** The Redis hash of counts by room. */
const KEY = 'chat:members';

/** The counter that goes with a Broadcast URL (already checked by `new Broadcast(url)`). */
export async function openRoomMembers(url: string): Promise<RoomMembers> {
  return url.startsWith('redis') ? openRedisMembers(url) : localMembers();
}

function localMembers(): RoomMembers {
  const counts = new Map<string, number>();
  const change = async (room: string, by: number): Promise<number> => {
    const count = (counts.get(room) ?? 0) + by;
    if (count > 0) counts.set(room, count);
    else counts.delete(room);
    return Math.max(count, 0);
  };
  return { join: (room) => change(room, 1), leave: (room) => change(room, -1), close: async () => undefined };
}

async function openRedisMembers(url: string): Promise<RoomMembers> {
  // While Redis is away a count fails at once, as a publish does, instead of waiting in a queue.
  const client = createClient({ url, disableOfflineQueue: true });
  client.on('error', () => undefined);
  await client.connect();
  return {
    join: (room) => client.hIncrBy(KEY, room, 1),
    async leave(room) {
      const count = await client.hIncrBy(KEY, room, -1);
      if (count <= 0) await client.hDel(KEY, room);
      return Math.max(count, 0);
    },
    close: () => client.close(),
  };
}
