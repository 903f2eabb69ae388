import type { WebSocket } from 'ws';

/**
 * Ping the peer every `intervalMs`; a peer that has not answered a ping within `timeoutMs` is
 * dead (a pulled cable, a sleeping laptop) and its connection is dropped, so it stops holding
 * memory and the app learns of it (`websocket.disconnect`, code 1006). `intervalMs` 0: no pings.
 */
export function keepAlive(ws: WebSocket, intervalMs: number, timeoutMs: number): void {
  if (intervalMs <= 0) return;
  let deadline: NodeJS.Timeout | null = null;
  const ticker = setInterval(() => {
    if (deadline !== null) return; // the last ping is still unanswered
    ws.ping();
    deadline = setTimeout(() => ws.terminate(), timeoutMs);
  }, intervalMs);
  ws.on('pong', () => {
    if (deadline !== null) clearTimeout(deadline);
    deadline = null;
  });
  ws.once('close', () => {
    clearInterval(ticker);
    if (deadline !== null) clearTimeout(deadline);
  });
}
