/**
 * A chat room: a static HTML page at `/` and a WebSocket route at `/rooms/:room` that broadcasts
 * every message to everyone in the room. Serve it with `npx portico serve examples/chat/app.ts`
 * and open http://127.0.0.1:8000 in two browser tabs. With `BROADCAST_URL=redis://host:port/0`
 * every process serving it (`--workers N`, or several machines) shares the rooms.
 */
import { join } from 'node:path';
import { Broadcast, SlowSubscriberError, type Subscription } from '@portico/broadcast';
import { App, FileResponse, Route, WebSocketException, WebSocketRoute, type WebSocket } from '@portico/framework';
import { openRoomMembers, type RoomMembers } from './members';

const PAGE = join(__dirname, 'public', 'index.html');

/** What the server sends to a room's members, as JSON text messages. */
export type ChatEvent =
  | { type: 'message'; from: string; text: string }
  | { type: 'joined'; who: string; members: number }
  | { type: 'left'; who: string; members: number };

/** Names are shown to others: short, printable, and never empty. */
function nameOf(websocket: WebSocket): string {
  const name = websocket.queryParams.get('name')?.trim() ?? '';
  if (name === '' || name.length > 32) throw new WebSocketException(1008, 'pick a name of 1 to 32 characters: ?name=ada');
  return name;
}

/** Sends this member everything said in the room, by anyone on any process, until the subscription ends. */
async function relay(subscription: Subscription, websocket: WebSocket): Promise<void> {
  try {
    for await (const message of subscription) await websocket.sendText(message);
  } catch (error) {
    // A member too far behind is let go, rather than left in the room hearing nothing.
    if (!(error instanceof SlowSubscriberError)) throw error;
    await websocket.close(1013, 'too far behind');
  }
}

async function chat(websocket: WebSocket<{ room: string }>): Promise<void> {
  const broadcast = websocket.state['broadcast'] as Broadcast;
  const members = websocket.state['members'] as RoomMembers;
  const { room } = websocket.pathParams;
  const channel = `chat:${room}`;
  const say = (event: ChatEvent): Promise<void> => broadcast.publish(channel, JSON.stringify(event));
  const who = nameOf(websocket);
  await websocket.accept();

  const subscription = broadcast.subscribe(channel);
  const relaying = relay(subscription, websocket);
  // Its failure is awaited (and so reported) below; this only keeps an early one from being an unhandled rejection meanwhile.
  relaying.catch(() => undefined);
  let counted = false;
  try {
    await subscription.ready;
    const joined = await members.join(room);
    counted = true;
    await say({ type: 'joined', who, members: joined });
    for await (const text of websocket.iterText()) await say({ type: 'message', from: who, text });
  } finally {
    // The socket closed (or publishing failed): stop hearing the room, then tell the others.
    subscription.close();
    await relaying;
    if (counted) await say({ type: 'left', who, members: await members.leave(room) });
  }
}

export const app = new App({
  routes: [new Route('/', () => new FileResponse(PAGE), { name: 'home' }), new WebSocketRoute('/rooms/:room', chat, { name: 'room' })],
  // Every request and WebSocket scope sees the lifespan state: one Broadcast per process.
  lifespan: async () => {
    const url = process.env['BROADCAST_URL'] ?? 'memory://';
    const broadcast = new Broadcast(url);
    await broadcast.connect();
    const members = await openRoomMembers(url);
    return {
      state: { broadcast, members },
      cleanup: async () => {
        await members.close();
        await broadcast.disconnect();
      },
    };
  },
});
