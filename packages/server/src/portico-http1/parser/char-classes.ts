/**
 * Byte classes of the request grammar, as llhttp defines them (its `constants.ts`): one lookup
 * table per class, indexed by byte, so that a scanning loop costs one load per byte.
 */

function table(...ranges: (string | [number, number])[]): Uint8Array {
  const bytes = new Uint8Array(256);
  for (const range of ranges) {
    if (typeof range === 'string') for (let i = 0; i < range.length; i++) bytes[range.charCodeAt(i)] = 1;
    else for (let byte = range[0]; byte <= range[1]; byte++) bytes[byte] = 1;
  }
  return bytes;
}

const ALPHANUM: [number, number][] = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x61, 0x7a],
];
const OBS_TEXT: [number, number] = [0x80, 0xff];

/** RFC 9110 tchar: field names, chunk extension names and token values. */
export const TOKEN = table("!#$%&'*+-.^_`|~", ...ALPHANUM);

/** What llhttp allows in a request-target's path, query and fragment (ASCII only: no obs-text in strict mode). */
export const URL_CHAR = table('!"$%&\'()*+,-./:;<=>@[\\]^_`{|}~', ...ALPHANUM);

/** The authority of an absolute-form or CONNECT target (llhttp's USERINFO_CHARS plus `[` and `]`). */
export const SERVER_CHAR = table("-_.!~*'()%;:&=+$,[]", ...ALPHANUM);

export const ALPHA = table([0x41, 0x5a], [0x61, 0x7a]);

/** HTAB, SP, VCHAR and obs-text: a field value's bytes, and the second byte of a quoted-pair. */
export const FIELD_VALUE_CHAR = table('\t', [0x20, 0x7e], OBS_TEXT);

/** A list element of Connection or Transfer-Encoding: a field value byte other than the comma. */
export const LIST_ELEMENT_CHAR = table('\t', [0x20, 0x2b], [0x2d, 0x7e], OBS_TEXT);

/** RFC 9110 qdtext: inside a quoted chunk extension value. */
export const QDTEXT = table('\t ', [0x21, 0x21], [0x23, 0x5b], [0x5d, 0x7e], OBS_TEXT);

export const DIGIT_VALUE = new Int8Array(256).fill(-1);
export const HEX_VALUE = new Int8Array(256).fill(-1);
for (let digit = 0; digit < 10; digit++) {
  DIGIT_VALUE[0x30 + digit] = digit;
  HEX_VALUE[0x30 + digit] = digit;
}
for (let letter = 0; letter < 6; letter++) {
  HEX_VALUE[0x41 + letter] = 10 + letter;
  HEX_VALUE[0x61 + letter] = 10 + letter;
}

/** ASCII lower case of a byte (other bytes unchanged). */
export const LOWER = new Uint8Array(256);
for (let byte = 0; byte < 256; byte++) LOWER[byte] = byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte;

export const CR = 0x0d;
export const LF = 0x0a;
export const SP = 0x20;
export const HTAB = 0x09;
