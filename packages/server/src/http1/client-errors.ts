import { STATUS_CODES } from 'node:http';

/** Build once: `HTTP/1.1 <status>` with a short text body and `Connection: close`. */
function rawResponse(status: number): Buffer {
  const reason = STATUS_CODES[status] ?? 'Error';
  return Buffer.from(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${reason.length}\r\nconnection: close\r\n\r\n${reason}`,
    'latin1',
  );
}

const responses = {
  400: rawResponse(400),
  408: rawResponse(408),
  413: rawResponse(413),
  431: rawResponse(431),
};

/**
 * How to answer an error Node's HTTP parser (llhttp) or socket reports on a connection: the raw
 * response to write before closing (`null`: just close), and whether it is worth a warning.
 * Socket errors (resets, broken pipes) are the client's business and only logged at debug.
 */
export function clientErrorAnswer(error: NodeJS.ErrnoException): { response: Buffer | null; warn: boolean } {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return { response: responses[431], warn: false };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { response: responses[413], warn: true };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { response: responses[408], warn: false };
    default:
      return error.code?.startsWith('HPE_') ? { response: responses[400], warn: true } : { response: null, warn: false };
  }
}
