import { describeHostConformance, type ConformanceRequest, type ConformanceResponse } from '@portico/protocol/conformance';
import { TestClient } from '@portico/framework';

describeHostConformance(
  'TestClient',
  async (app, options) => {
    const client = new TestClient(app, { raiseServerExceptions: false, followRedirects: false, ...(options.rootPath !== undefined && { rootPath: options.rootPath }) });
    await client.start();
    return {
      request: async (request: ConformanceRequest): Promise<ConformanceResponse> => {
        const response = await client.request(request.method, request.target, {
          headers: request.headers ?? [],
          body: request.body ?? [],
          ...(request.signal && { signal: request.signal }),
        });
        return { status: response.status, headers: response.headers.raw, body: response.body, trailers: response.trailers.raw };
      },
      close: () => client.close(),
    };
  },
  { trailers: true, pathsend: true, earlyHints: true },
);
