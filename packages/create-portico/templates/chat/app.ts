/**
 * A chat room: a page at `/` and a WebSocket route at `/rooms/:room` that broadcasts every
 * message to everyone in the room. `npm start`, then open http://127.0.0.1:8000 in two tabs.
 */
import { basename, dirname, join } from 'node:path';
import { App, FileResponse, Route, WebSocketException, WebSocketRoute, type WebSocket } from '@portico/framework';
import { ChatRooms } from './rooms.js';

// public/ sits beside app.ts; the build's dist/app.js finds it one folder up.
const PROJECT = basename(import.meta.dirname) === 'dist' ? dirname(import.meta.dirname) : import.meta.dirname;
const PAGE = join(PROJECT, 'public', 'index.html');

/** Names are shown to others: short, printable, and never empty. */
function nameOf(websocket: WebSocket): string {
  const name = websocket.queryParams.get('name')?.trim() ?? '';
  if (name === '' || name.length > 32) throw new WebSocketException(1008, 'pick a name of 1 to 32 characters: ?name=ada');
  return name;
}

async function chat(websocket: WebSocket<{ room: string }>): Promise<void> {
  const rooms = websocket.state['rooms'] as ChatRooms;
  const { room } = websocket.pathParams;
  const who = nameOf(websocket);
  await websocket.accept();
  await rooms.broadcast(room, { type: 'joined', who, members: rooms.join(room, websocket) });
  try {
    for await (const text of websocket.iterText()) await rooms.broadcast(room, { type: 'message', from: who, text });
  } finally {
    await rooms.broadcast(room, { type: 'left', who, members: rooms.leave(room, websocket) });
  }
}

export const app = new App({
  routes: [new Route('/', () => new FileResponse(PAGE)), new WebSocketRoute('/rooms/:room', chat)],
  // The rooms live in the lifespan state, which every request and WebSocket scope sees.
  lifespan: async () => ({ state: { rooms: new ChatRooms() } }),
});
