/** Set up for the Jest project `packages/server (http1: portico)`: the HTTP/1.1 tests start Portico's own host. */
process.env['PORTICO_TEST_HTTP1'] = 'portico';
