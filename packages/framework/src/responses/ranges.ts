/**
 * `Range: bytes=...` (RFC 9110 §14.1.2): parsed into sorted, merged, satisfiable ranges.
 */

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
  const match = /^\s*bytes\s*=\s*(.+)$/i.exec(header);
  if (!match) return null;
  const ranges: ByteRange[] = [];
  for (const spec of match[1]!.split(',')) {
    const part = /^\s*(\d*)\s*-\s*(\d*)\s*$/.exec(spec);
    if (!part || (part[1] === '' && part[2] === '')) return null;
    let start: number;
    let end: number;
    if (part[1] === '') {
      // A suffix: the last N bytes.
      const length = Number(part[2]);
      if (length === 0) continue;
      start = Math.max(0, size - length);
      end = size - 1;
    } else {
      start = Number(part[1]);
      end = part[2] === '' ? size - 1 : Math.min(Number(part[2]), size - 1);
      if (part[2] !== '' && Number(part[2]) < start) return 'unsatisfiable';
    }
    if (start < size && start <= end) ranges.push({ start, end });
  }
  if (ranges.length === 0) return 'unsatisfiable';
  return merge(ranges);
}

function merge(ranges: ByteRange[]): ByteRange[] {
  ranges.sort((a, b) => a.start - b.start);
  const merged: ByteRange[] = [{ ...ranges[0]! }];
  for (const range of ranges.slice(1)) {
    const last = merged[merged.length - 1]!;
    if (range.start <= last.end + 1) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  if (merged.length > MAX_RANGES) return [{ start: merged[0]!.start, end: merged[merged.length - 1]!.end }];
  return merged;
}
