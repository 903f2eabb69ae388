/** A line that writes to stdout; only there is `// →` a promise (elsewhere it may mean "leads to"). */
const PRINTS = /console\.(?:log|info)\(|process\.stdout\.write\(/;

/**
 * The stdout a block promises in its comments: `// → text` after a printing statement is one line;
 * `// prints: text` is one line, and the comment-only lines right after it are more lines.
 * `…` in a promised line stands for any text.
 */
export function expectedOutput(code: string): string[] | undefined {
  const expected: string[] = [];
  let printing = false;
  for (const line of code.split('\n')) {
    const comment = /^\s*\/\/ ?(.*)$/.exec(line);
    if (printing && comment) {
      expected.push(comment[1] ?? '');
      continue;
    }
    printing = false;
    const prints = /\/\/ prints:(?: (.*))?$/.exec(line);
    if (prints) {
      if (prints[1] !== undefined) expected.push(prints[1]);
      printing = true;
      continue;
    }
    const arrow = PRINTS.test(line) ? /\/\/ → ?(.*)$/.exec(line) : null;
    if (arrow) expected.push(arrow[1] ?? '');
  }
  return expected.length > 0 ? expected : undefined;
}

/** Whether stdout is what was promised, line by line (trailing spaces and blank lines aside). */
export function matchesOutput(expected: readonly string[], stdout: string): boolean {
  const actual = stdout.replace(/\s+$/, '').split('\n').map((line) => line.trimEnd());
  if (actual.length !== expected.length) return false;
  return expected.every((line, index) => lineMatcher(line).test(actual[index] ?? ''));
}

function lineMatcher(expected: string): RegExp {
  const parts = expected.trimEnd().split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`);
}
