import { describe, expect, it } from '@jest/globals';
import * as main from '@portico/framework';
import { App, PlainTextResponse } from '@portico/framework';
import * as testing from '@portico/framework/testing';
import { TestClient } from '@portico/framework/testing';

describe('@portico/framework/testing', () => {
  it('exports the test tools, the same ones the main entry still re-exports', () => {
    const names = ['TestClient', 'TestResponse', 'StreamingTestResponse', 'WebSocketTestSession', 'CookieJar', 'ResponseCutError', 'LifespanError', 'WebSocketDenied'] as const;
    for (const name of names) {
      expect(typeof testing[name]).toBe('function');
      expect(main[name]).toBe(testing[name]);
    }
  });

  it('closes a TestClient declared with await using when the block ends: the lifespan shuts down', async () => {
    const events: string[] = [];
    const app = new App({
      lifespan: () => {
        events.push('startup');
        return { state: {}, cleanup: () => void events.push('shutdown') };
      },
    });
    app.get('/', () => new PlainTextResponse('ok'));
    {
      await using client = new TestClient(app);
      await client.start();
      expect((await client.get('/')).text).toBe('ok');
      expect(events).toEqual(['startup']);
    }
    expect(events).toEqual(['startup', 'shutdown']);
  });
});
