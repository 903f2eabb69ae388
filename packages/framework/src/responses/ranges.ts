/**
 * `Range: bytes=...` (RFC 9110 §14.1.2), parsed by `range-parser` into satisfiable ranges, with
 * overlapping and adjacent ones combined.
 */
import rangeParser from 'range-parser';

/** Inclusive byte offsets. */
export interface ByteRange {
  start: number;
  end: number;
}

/** Many tiny ranges cost more to send than the file: past this, merge them into one. */
const MAX_RANGES = 16;

/**
 * `null`: the header is not a byte range we can read, so it is ignored and the whole file is
 * sent (RFC 9110 §14.2 allows this). `'unsatisfiable'`: no range overlaps the file (416).
 */
export function parseRange(header: string, size: number): ByteRange[] | 'unsatisfiable' | null {
  const ranges = rangeParser(size, wholeSuffixes(header, size), { combine: true });
  if (ranges === -2) return null;
  if (ranges === -1) return 'unsatisfiable';
  if (ranges.type.trim().toLowerCase() !== 'bytes') return null;
  const found = ranges.map(({ start, end }) => ({ start, end }));
  if (found.length <= MAX_RANGES) return found;
  return [{ start: Math.min(...found.map((range) => range.start)), end: Math.max(...found.map((range) => range.end)) }];
}

/**
 * A suffix longer than the file means the whole file (RFC 9110 §14.1.2); range-parser drops it as
 * unsatisfiable, so it is shortened to the file's size first.
 */
function wholeSuffixes(header: string, size: number): string {
  return header.replace(/([=,]\s*)-\s*(\d+)(?=\s*(?:,|$))/g, (spec: string, before: string, length: string) => (Number(length) > size ? `${before}-${size}` : spec));
}
