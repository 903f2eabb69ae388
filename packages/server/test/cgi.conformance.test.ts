import { Agent } from 'node:http';
import { join } from 'node:path';
import { describeHostConformance, requestOverHttp, type StartHost } from '@portico/protocol/conformance';
import { withSystemPrograms } from '@portico/protocol/testing';
import { createLifespan, Logger } from '@portico/server';
import { PORTICO_ARGS } from './support/cgi';
import { startRelay } from './support/cgi-relay';
import { FIXTURES } from './support/cli';
import { LIGHTTPD, startLighttpd } from './support/lighttpd';

/**
 * The suite through a real CGI server: lighttpd (mod_cgi) runs `portico cgi` once per request,
 * which builds the scope from lighttpd's environment, reads stdin and writes the CGI response
 * through the shared request cycle. The suite's app lives in this process, so the CGI process
 * runs `fixtures/cgi-relay.js`, relaying the scope and every event here. Under CGI the lifespan
 * runs per process (tested in cgi.test.ts); here it runs once, in this process, as the suite
 * expects of a host, and its state is copied into each relayed scope.
 */
const startCgiHost: StartHost = async (app, options) => {
  const lifespan = createLifespan(app, 'auto', new Logger('critical', process.stderr, false));
  await lifespan.startup();
  const relay = await startRelay(app, () => lifespan.state);
  const command = [process.execPath, ...PORTICO_ARGS, 'cgi', join(FIXTURES, 'cgi-relay.js'), '--lifespan', 'off', '--log-level', 'critical'];
  if (options.rootPath !== undefined) command.push('--root-path', options.rootPath);
  // The app is mounted at the site's root, as nginx's `fastcgi_param SCRIPT_NAME ""` would say.
  const script = `#!/bin/sh\nSCRIPT_NAME= exec ${command.map((part) => `'${part}'`).join(' ')}\n`;
  const lighttpd = await startLighttpd(script, { PORTICO_RELAY: relay.path }).catch(async (error: unknown) => {
    // Nothing may stay open when the web server fails to start: the relay's socket would keep Jest alive.
    await relay.close();
    await lifespan.shutdown();
    throw error;
  });
  const agent = new Agent({ keepAlive: true });
  return {
    request: (request) => requestOverHttp(lighttpd.origin, agent, request),
    close: async () => {
      agent.destroy();
      await lighttpd.stop();
      await relay.close();
      await lifespan.shutdown();
    },
  };
};

withSystemPrograms([LIGHTTPD], () => {
  describeHostConformance('CGI behind lighttpd', startCgiHost, {
    requestHeaders: 'cgi',
    disconnect: false,
    trailers: false,
    pathsend: true,
    earlyHints: false,
    // A cut CGI response ends stdout and exits 1; lighttpd ends a response without Content-Length anyway.
    cutResponse: 'partial-with-length',
  });
});
