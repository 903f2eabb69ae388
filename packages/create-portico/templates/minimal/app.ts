/** A Portico app: two routes and a middleware. `npm start` serves it on http://127.0.0.1:8000. */
import { App, JSONResponse, PlainTextResponse } from '@portico/framework';

export const app = new App();

// Every response tells the browser's dev tools how long the app took (Server-Timing).
app.use(async (_request, next) => {
  const started = performance.now();
  const response = await next();
  response.headers.set('server-timing', `app;dur=${(performance.now() - started).toFixed(1)}`);
  return response;
});

app.get('/', () => new PlainTextResponse('Hello from Portico!\n'));

app.get('/hello/:name', (request) => new JSONResponse({ hello: request.pathParams.name }));
