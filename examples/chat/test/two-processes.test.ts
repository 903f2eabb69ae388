/**
 * The README's scale-out recipe: two `portico serve` processes on their own ports, sharing rooms
 * through a redis-server (BROADCAST_URL), with members of one room on each.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { withSystemPrograms } from '@portico/protocol/testing';
import { member } from './support/member';
import { NGINX, readmeNginxConfig, startNginx } from './support/nginx';
import { serveChat, type ChatProcess } from './support/portico';
import { REDIS_SERVER, useRedis } from './support/redis';

withSystemPrograms([REDIS_SERVER], () => {
  describe('examples/chat on two processes with BROADCAST_URL=redis://…', () => {
    const redis = useRedis();
    const processes: ChatProcess[] = [];
    afterEach(async () => {
      await Promise.all(processes.splice(0).map((chat) => chat.stop()));
    });

    it('shares each room: joins, messages both ways in order per sender, and leaves', async () => {
      processes.push(serveChat({ BROADCAST_URL: redis() }), serveChat({ BROADCAST_URL: redis() }));
      const [one, two] = await Promise.all(processes.map((chat) => chat.origin));

      const ada = await member(one!, 'ada');
      expect(await ada.next()).toEqual({ type: 'joined', who: 'ada', members: 1 });
      const bob = await member(two!, 'bob');
      expect(await bob.next()).toEqual({ type: 'joined', who: 'bob', members: 2 });
      expect(await ada.next()).toEqual({ type: 'joined', who: 'bob', members: 2 });
      const elsewhere = await member(two!, 'cy', 'kitchen');
      expect(await elsewhere.next()).toEqual({ type: 'joined', who: 'cy', members: 1 });

      const lines = (who: string): string[] => Array.from({ length: 10 }, (_, i) => `${who} says ${i}`);
      for (const text of lines('ada')) ada.ws.send(text);
      for (const text of lines('bob')) bob.ws.send(text);
      for (const listener of [ada, bob]) {
        const heard = (await Promise.all(Array.from({ length: 20 }, () => listener.next()))) as Array<{ from: string; text: string }>;
        for (const who of ['ada', 'bob']) expect(heard.filter((event) => event.from === who).map((event) => event.text)).toEqual(lines(who));
      }

      bob.ws.close();
      expect(await ada.next()).toEqual({ type: 'left', who: 'bob', members: 1 });
      elsewhere.ws.send('nobody else here');
      expect(await elsewhere.next()).toEqual({ type: 'message', from: 'cy', text: 'nobody else here' });

      const closes = [ada, elsewhere].map(({ ws }) => new Promise<number>((resolve) => ws.once('close', resolve)));
      expect(await Promise.all(processes.map((chat) => chat.stop()))).toEqual([0, 0]);
      expect(await Promise.all(closes)).toEqual([1001, 1001]);
    }, 60_000);

    withSystemPrograms([NGINX], () => {
      it("does the same behind nginx with the README's configuration, one member on each backend", async () => {
        const args = ['--forwarded-allow-ips', '127.0.0.1'];
        processes.push(serveChat({ BROADCAST_URL: redis() }, args), serveChat({ BROADCAST_URL: redis() }, args));
        const ports = await Promise.all(processes.map(async (chat) => new URL(await chat.origin).port));
        const config = readmeNginxConfig().replace('127.0.0.1:8001', `127.0.0.1:${ports[0]}`).replace('127.0.0.1:8002', `127.0.0.1:${ports[1]}`);
        const nginx = await startNginx(config);
        try {
          const ada = await member(nginx.origin, 'ada');
          expect(await ada.next()).toEqual({ type: 'joined', who: 'ada', members: 1 });
          const bob = await member(nginx.origin, 'bob');
          expect(await bob.next()).toEqual({ type: 'joined', who: 'bob', members: 2 });
          expect(await ada.next()).toEqual({ type: 'joined', who: 'bob', members: 2 });
          ada.ws.send('hi bob');
          bob.ws.send('hi ada');
          for (const listener of [ada, bob]) {
            const heard = [await listener.next(), await listener.next()];
            expect(heard).toEqual(expect.arrayContaining([{ type: 'message', from: 'ada', text: 'hi bob' }, { type: 'message', from: 'bob', text: 'hi ada' }]));
          }
          // nginx's round robin put them on different processes: each process saw one of them join.
          const joinedOn = processes.map((chat) => chat.log().match(/(?<=WebSocket \/rooms\/lobby\?name=)\w+/g));
          expect(joinedOn.sort()).toEqual([['ada'], ['bob']]);
        } finally {
          await nginx.stop();
        }
      }, 60_000);
    });
  });
});
