import { describeHostConformance } from '@portico/protocol/conformance';
import { withSystemPrograms } from '@portico/protocol/testing';
import { startNginxFastCgi } from './support/fastcgi';
import { NGINX } from './support/nginx';

// The suite drives a real nginx (fastcgi_pass) in front of the FastCGI host. CGI variables carry
// repeated request headers joined; trailers and 103 cannot cross the CGI interface.
const capabilities = { requestHeaders: 'cgi', trailers: false, pathsend: true, earlyHints: false } as const;

withSystemPrograms([NGINX], () => {
  describeHostConformance(
    'FastCGI host behind nginx (TCP)',
    async (app, options) => (await startNginxFastCgi(app, { ...options, socket: 'tcp' })).host,
    capabilities,
  );

  describeHostConformance(
    'FastCGI host behind nginx (Unix socket)',
    async (app, options) => (await startNginxFastCgi(app, { ...options, socket: 'unix' })).host,
    capabilities,
  );
});
