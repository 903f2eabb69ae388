import * as classes from './char-classes';

// Module-level copies: the CommonJS output would otherwise read each off the exports object per byte.
const { LOWER } = classes;

/**
 * The field-name table: the names that frame a request (Connection, Content-Length, ...) and the
 * common ones, recognised from the wire bytes in any case without decoding or lower-casing them.
 */

/** What a field does to the parser: most fields nothing; these are the ones llhttp reads (plus Expect). */
export const OTHER_FIELD = 0;
/** `Connection`, and `Proxy-Connection`, which llhttp reads the same way. */
export const CONNECTION_FIELD = 1;
export const CONTENT_LENGTH_FIELD = 2;
export const TRANSFER_ENCODING_FIELD = 3;
export const UPGRADE_FIELD = 4;
export const EXPECT_FIELD = 5;

export interface KnownField {
  /** The lower-case name, one string shared by every request. */
  readonly name: string;
  readonly kind: number;
  /** The name's bytes, to compare with the wire's. */
  readonly bytes: Uint8Array;
}

const FRAMING: [string, number][] = [
  ['connection', CONNECTION_FIELD],
  ['proxy-connection', CONNECTION_FIELD],
  ['content-length', CONTENT_LENGTH_FIELD],
  ['transfer-encoding', TRANSFER_ENCODING_FIELD],
  ['upgrade', UPGRADE_FIELD],
  ['expect', EXPECT_FIELD],
];

const COMMON = [
  'host', 'content-type', 'user-agent', 'accept', 'accept-encoding', 'accept-language', 'accept-charset', 'cookie',
  'authorization', 'cache-control', 'pragma', 'origin', 'referer', 'if-none-match', 'if-modified-since', 'range',
  'te', 'trailer', 'keep-alive', 'forwarded', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host',
  'x-forwarded-port', 'x-real-ip', 'x-request-id', 'x-requested-with', 'sec-websocket-key', 'sec-websocket-version',
  'sec-websocket-extensions', 'sec-websocket-protocol', 'sec-fetch-dest', 'sec-fetch-mode', 'sec-fetch-site',
  'sec-fetch-user', 'sec-ch-ua', 'sec-ch-ua-mobile', 'sec-ch-ua-platform', 'upgrade-insecure-requests', 'dnt',
  'content-encoding', 'date', 'via', 'priority',
];

/** Longer names than this are never looked up by bytes (none of the table's is). */
const LONGEST = 31;
/** Buckets by length and the low five bits of the first byte (the same for both cases of a letter). */
const BUCKETS: KnownField[][] = Array.from({ length: (LONGEST + 1) * 32 }, () => []);
const BY_NAME = new Map<string, KnownField>();

for (const [name, kind] of [...FRAMING, ...COMMON.map((name): [string, number] => [name, OTHER_FIELD])]) {
  const field: KnownField = { name, kind, bytes: Buffer.from(name, 'latin1') };
  BY_NAME.set(name, field);
  (BUCKETS[(name.length << 5) | (name.charCodeAt(0) & 31)] as KnownField[]).push(field);
}

/** The known field whose name is `bytes[start, end)` in any case, or null. */
export function knownFieldAt(bytes: Uint8Array, start: number, end: number): KnownField | null {
  const length = end - start;
  if (length > LONGEST) return null;
  const bucket = BUCKETS[(length << 5) | ((bytes[start] as number) & 31)] as KnownField[];
  for (let b = 0; b < bucket.length; b++) {
    const field = bucket[b] as KnownField;
    const name = field.bytes;
    let i = 0;
    while (i < length && LOWER[bytes[start + i] as number] === name[i]) i++;
    if (i === length) return field;
  }
  return null;
}

/** The known field named `lowerName` (already lower case), or null. */
export function knownField(lowerName: string): KnownField | null {
  return BY_NAME.get(lowerName) ?? null;
}
