import type { WebSocket } from '@portico/framework';

/** What the server sends to a room's members, as JSON text messages. */
export type ChatEvent =
  | { type: 'message'; from: string; text: string }
  | { type: 'joined'; who: string; members: number }
  | { type: 'left'; who: string; members: number };

/**
 * The open connections of each room, in this process's memory: enough for one process. With
 * `--workers N` each worker has its own rooms; share them through a broker (Redis pub/sub, say).
 */
export class ChatRooms {
  readonly #rooms = new Map<string, Set<WebSocket>>();

  join(room: string, member: WebSocket): number {
    let members = this.#rooms.get(room);
    if (members === undefined) this.#rooms.set(room, (members = new Set()));
    members.add(member);
    return members.size;
  }

  leave(room: string, member: WebSocket): number {
    const members = this.#rooms.get(room);
    members?.delete(member);
    if (members?.size === 0) this.#rooms.delete(room);
    return members?.size ?? 0;
  }

  /** Send to everyone in the room; a member who just left is skipped by the host (the send goes nowhere). */
  async broadcast(room: string, event: ChatEvent): Promise<void> {
    const members = [...(this.#rooms.get(room) ?? [])];
    await Promise.all(members.map((member) => member.sendJson(event)));
  }
}
