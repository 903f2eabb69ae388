/**
 * What Portico's request parser tells its host beyond what llhttp shows (the differential tests
 * cover the rest): the RequestHead fields, the upgrade stop, `idle`, `finish`, body views and
 * trailers, and how a refusal is reported.
 */
import { describe, expect, it } from '@jest/globals';
import { METHODS } from 'node:http';
import { HTTP_METHODS } from '../../src/portico-http1/parser/methods';
import { RequestParseError, RequestParser, type RequestHead } from '../../src/portico-http1/parser';

interface Recorded {
  parser: RequestParser;
  events: string[];
  heads: RequestHead[];
  bodies: Buffer[];
  trailers: ([string, string][] | null)[];
}

function recorder(maxHeaderSize = 16384): Recorded {
  const recorded: Recorded = { parser: null as unknown as RequestParser, events: [], heads: [], bodies: [], trailers: [] };
  recorded.parser = new RequestParser(
    {
      onHead(head) {
        recorded.events.push(`head ${head.method} ${head.target}`);
        recorded.heads.push(head);
      },
      onBody(chunk) {
        recorded.events.push(`body ${chunk.toString('latin1')}`);
        recorded.bodies.push(chunk);
      },
      onMessageEnd(trailers) {
        recorded.events.push('end');
        recorded.trailers.push(trailers);
      },
    },
    { maxHeaderSize },
  );
  return recorded;
}

function headOf(raw: string): RequestHead {
  const { parser, heads } = recorder();
  parser.execute(Buffer.from(raw, 'latin1'));
  expect(heads).toHaveLength(1);
  return heads[0] as RequestHead;
}

function refusal(action: () => void): RequestParseError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(RequestParseError);
    return error as RequestParseError;
  }
  throw new Error('no refusal');
}

describe('the method table', () => {
  it('is Node\'s http.METHODS', () => {
    expect([...HTTP_METHODS].sort()).toEqual([...METHODS].sort());
  });
});

describe('RequestHead', () => {
  it('reports the framing of the body', () => {
    expect(headOf('POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\n')).toMatchObject({ contentLength: 3, chunked: false });
    expect(headOf('POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n')).toMatchObject({ contentLength: 0, chunked: false });
    expect(headOf('POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n')).toMatchObject({ contentLength: null, chunked: true });
    expect(headOf('GET / HTTP/1.1\r\n\r\n')).toMatchObject({ method: 'GET', target: '/', versionMinor: 1, headers: [], contentLength: null, chunked: false });
  });

  it('keeps the connection as llhttp decides: the version\'s default, changed by Connection', () => {
    expect(headOf('GET / HTTP/1.1\r\n\r\n').keepAlive).toBe(true);
    expect(headOf('GET / HTTP/1.1\r\nConnection: Close\r\n\r\n').keepAlive).toBe(false);
    expect(headOf('GET / HTTP/1.0\r\n\r\n').keepAlive).toBe(false);
    expect(headOf('GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n')).toMatchObject({ versionMinor: 0, keepAlive: true });
  });

  it('expects 100-continue as node:http does: HTTP/1.1 only, in any Expect field, any case', () => {
    const expecting = (version: string, fields: string): boolean => headOf(`POST / HTTP/${version}\r\n${fields}Content-Length: 1\r\n\r\n`).expectContinue;
    expect(expecting('1.1', 'Expect: 100-continue\r\n')).toBe(true);
    expect(expecting('1.1', 'Expect: 100-Continue\r\n')).toBe(true);
    expect(expecting('1.1', 'Expect: foo\r\nexpect: 100-continue\r\n')).toBe(true);
    expect(expecting('1.1', 'Expect: 100-continues\r\n')).toBe(false);
    expect(expecting('1.1', 'Expect: teapot\r\n')).toBe(false);
    expect(expecting('1.1', '')).toBe(false);
    expect(expecting('1.0', 'Expect: 100-continue\r\n')).toBe(false);
  });

  it('says whether there is an Expect field at all, whatever it asks, so the host can answer 417', () => {
    const hasExpect = (fields: string): boolean => headOf(`GET / HTTP/1.1\r\n${fields}\r\n`).expect;
    expect([hasExpect('EXPECT: teapot\r\n'), hasExpect('Expect: 100-continue\r\n'), hasExpect('Expected: no\r\n'), hasExpect('')]).toEqual([true, true, false, false]);
  });

  it('gives names in lower case and values without surrounding whitespace, bytes as latin1', () => {
    expect(headOf('GET / HTTP/1.1\r\nX-Mixed-CASE:  caf\xe9 \t\r\nHOST:\t t\r\n\r\n').headers).toEqual([
      ['x-mixed-case', 'caf\u00e9'],
      ['host', 't'],
    ]);
  });
});

describe('an upgrade', () => {
  it('ends the HTTP stream after its head: the rest is the other protocol\'s', () => {
    const { parser, events, heads } = recorder();
    const head = 'GET /chat HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nContent-Length: 2\r\n\r\n';
    expect(parser.execute(Buffer.from(`${head}\x81\x00GET / HTTP/1.1\r\n\r\n`, 'latin1'))).toBe(head.length);
    expect(events).toEqual(['head GET /chat', 'end']);
    expect(heads[0]?.upgrade).toBe(true);
    expect(parser.execute(Buffer.from('GET / HTTP/1.1\r\n\r\n'))).toBe(0);
    expect(events).toHaveLength(2);
    expect(parser.idle).toBe(true);
    expect(() => parser.finish()).not.toThrow();
  });

  it('includes CONNECT, whose head ends where the tunnel begins', () => {
    const { parser, heads } = recorder();
    const head = 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n';
    expect(parser.execute(Buffer.from(`${head}\x16\x03`, 'latin1'))).toBe(head.length);
    expect(heads[0]).toMatchObject({ method: 'CONNECT', target: 'example.com:443', upgrade: true });
  });

  it('returns the whole input when the head ends with it', () => {
    const { parser } = recorder();
    const head = Buffer.from('GET / HTTP/1.1\r\nUpgrade: h2c\r\nConnection: upgrade\r\n\r\n');
    expect(parser.execute(head)).toBe(head.length);
  });
});

describe('idle and finish', () => {
  it('is idle only between requests', () => {
    const { parser } = recorder();
    const states: boolean[] = [parser.idle];
    for (const piece of ['\r\n', 'G', 'ET / HTTP/1.1\r\nContent-Length: 2\r\n\r\n', 'o', 'k', '\r\n']) {
      parser.execute(Buffer.from(piece));
      states.push(parser.idle);
    }
    expect(states).toEqual([true, true, false, false, false, true, true]);
  });

  it('refuses the end of the stream inside a request, with llhttp\'s code', () => {
    for (const raw of ['G', 'GET / HTTP/1.1\r\n', 'POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\no', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n']) {
      const { parser } = recorder();
      parser.execute(Buffer.from(raw));
      expect(refusal(() => parser.finish())).toMatchObject({ code: 'HPE_INVALID_EOF_STATE', name: 'RequestParseError' });
    }
  });

  it('stays idle after a request that closes the connection, and refuses what follows', () => {
    const { parser, events } = recorder();
    parser.execute(Buffer.from('GET / HTTP/1.1\r\nConnection: close\r\n\r\n\r\n'));
    expect(parser.idle).toBe(true);
    expect(() => parser.finish()).not.toThrow();
    expect(refusal(() => parser.execute(Buffer.from('GET /')))).toMatchObject({ code: 'HPE_CLOSED_CONNECTION' });
    expect(events).toEqual(['head GET /', 'end']);
  });
});

describe('bodies and trailers', () => {
  it('hands over body bytes as views of the input, not copies', () => {
    const { parser, bodies } = recorder();
    const input = Buffer.from('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nPOST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nok');
    parser.execute(input);
    expect(bodies.map((body) => body.toString())).toEqual(['abc', 'ok']);
    for (const body of bodies) expect(body.buffer).toBe(input.buffer);
  });

  it('gives trailers as fields, and null when the section is empty', () => {
    const { parser, trailers, heads } = recorder();
    parser.execute(Buffer.from('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-Sum: 1 \r\nConnection: close\r\n\r\n'));
    expect(trailers).toEqual([[['x-sum', '1'], ['connection', 'close']]]);
    // The head said keep-alive; the trailers closed it, so the next request is refused.
    expect(heads[0]?.keepAlive).toBe(true);
    expect(refusal(() => parser.execute(Buffer.from('G')))).toMatchObject({ code: 'HPE_CLOSED_CONNECTION' });
    const second = recorder();
    second.parser.execute(Buffer.from('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'));
    expect(second.trailers).toEqual([null]);
  });

  it('bounds chunk extensions at 16 KiB whatever maxHeaderSize is, and trailers by maxHeaderSize', () => {
    const extensions = (bytes: number): Buffer => Buffer.from(`POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;${'e'.repeat(bytes)}\r\nx\r\n0\r\n\r\n`);
    expect(() => recorder(100).parser.execute(extensions(16384))).not.toThrow();
    expect(refusal(() => recorder(100).parser.execute(extensions(16385)))).toMatchObject({ code: 'HPE_CHUNK_EXTENSIONS_OVERFLOW' });
    const trailers = Buffer.from(`POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: ${'v'.repeat(200)}\r\n\r\n`);
    expect(refusal(() => recorder(200).parser.execute(trailers))).toMatchObject({ code: 'HPE_HEADER_OVERFLOW' });
  });
});

describe('a refusal', () => {
  it('is a RequestParseError naming llhttp\'s code and reason', () => {
    const error = refusal(() => recorder().parser.execute(Buffer.from('POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n')));
    expect(error).toMatchObject({ name: 'RequestParseError', code: 'HPE_INVALID_TRANSFER_ENCODING', message: "Transfer-Encoding can't be present with Content-Length" });
  });

  it('comes before the head when the head itself is refused', () => {
    const { parser, events } = recorder();
    expect(refusal(() => parser.execute(Buffer.from('POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n')))).toMatchObject({ code: 'HPE_INVALID_TRANSFER_ENCODING' });
    expect(events).toEqual([]);
  });
});
