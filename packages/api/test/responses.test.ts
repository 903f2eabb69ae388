import { describe, expect, it } from '@jest/globals';
import { PlainTextResponse, TestClient } from '@portico/framework';
import { z } from 'zod';
import { Api, ResponseValidationError } from '@portico/api';

const PublicUser = z.object({ id: z.number(), name: z.string() });
const stored = { id: 1, name: 'Ada', password: 'hunter2' };

describe('responses', () => {
  it('strips keys the response schema does not declare', async () => {
    const api = new Api().get('/users/:id<int>', { responses: { 200: PublicUser } }, () => stored);
    expect((await new TestClient(api).get('/users/1')).json()).toEqual({ id: 1, name: 'Ada' });
  });

  it('answers a value of the wrong shape with 500 and an error naming the endpoint and the issues', async () => {
    const api = new Api().get('/users/:id<int>', { responses: { 200: PublicUser } }, () => ({ id: 'one' }) as unknown as typeof stored);
    await expect(new TestClient(api).get('/users/1')).rejects.toThrow(ResponseValidationError);
    await expect(new TestClient(api).get('/users/1')).rejects.toThrow(
      "GET /users/:id<int> returned a value that does not match its 200 response schema: id: Invalid input: expected number, received string; name: Field required. Fix the handler or the schema in responses[200], or set responseValidation: 'off'",
    );
    const response = await new TestClient(api, { raiseServerExceptions: false }).get('/users/1');
    expect(response.status).toBe(500);
    expect(response.text).toBe('Internal Server Error');
  });

  it('has the server log a line naming the endpoint and the issues when served over HTTP', async () => {
    const { Server } = await import('@portico/server');
    const api = new Api().get('/broken', { responses: { 200: PublicUser } }, () => ({ id: 1 }) as never);
    let log = '';
    const server = new Server(api, { port: 0, logStream: { write: (text: string) => void (log += text) } });
    await server.start();
    try {
      const response = await fetch(`${server.url}/broken`);
      expect(response.status).toBe(500);
      expect(await response.text()).toBe('Internal Server Error');
    } finally {
      await server.close();
    }
    expect(log).toContain('ResponseValidationError: GET /broken returned a value that does not match its 200 response schema: name: Field required');
  });

  it("sends the value as it is with responseValidation: 'off', per endpoint or per Api", async () => {
    const perEndpoint = new Api().get('/u', { responses: { 200: PublicUser }, responseValidation: 'off' }, () => stored);
    expect((await new TestClient(perEndpoint).get('/u')).json()).toEqual(stored);
    const perApi = new Api({ responseValidation: 'off' }).get('/u', { responses: { 200: PublicUser } }, () => stored);
    expect((await new TestClient(perApi).get('/u')).json()).toEqual(stored);
  });

  it('sends a returned framework Response as it is, and other statuses with their schema', async () => {
    const api = new Api()
      .get('/text', {}, () => new PlainTextResponse('hi'))
      .post('/things', { status: 201, responses: { 201: PublicUser } }, () => stored);
    const client = new TestClient(api);
    expect((await client.get('/text')).text).toBe('hi');
    const created = await client.post('/things');
    expect(created.status).toBe(201);
    expect(created.json()).toEqual({ id: 1, name: 'Ada' });
  });
});
