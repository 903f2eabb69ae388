// @ts-check
/** express 5 with etag and x-powered-by off, as the usual framework benchmarks run it. */
import express from 'express';
import { Readable, pipeline } from 'node:stream';
import { HELLO, HOST, PORT, decoyRoutes, exitOnSignal, streamChunks } from './shared.mjs';

const app = express();
app.disable('etag');
app.disable('x-powered-by');

/** @param {unknown} error */
function ignore(error) {
  void error; // the client left mid-stream: nothing to answer
}

for (const path of decoyRoutes()) app.get(path, (_req, res) => res.send('decoy'));
app.get('/', (_req, res) => res.type('text/plain; charset=utf-8').send(HELLO));
app.get('/json', (_req, res) => res.json({ message: HELLO }));
app.get('/users/:id', (req, res) => res.json({ id: req.params.id }));
app.post('/echo', (req, res) => {
  res.type('application/octet-stream');
  pipeline(req, res, ignore);
});
app.get('/stream', (_req, res) => {
  res.type('application/octet-stream');
  pipeline(Readable.from(streamChunks()), res, ignore);
});

app.listen(PORT, HOST);
exitOnSignal();
