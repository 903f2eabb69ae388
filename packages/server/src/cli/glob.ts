/**
 * A glob as a regular expression: `*` and `?` stay within a path segment, `**` crosses them,
 * `[abc]`/`[!abc]` are classes and `{a,b}` alternatives. (Node 20's `path.matchesGlob` prints an
 * experimental-feature warning, so the few rules the reloader needs are written here.)
 *
 * @example
 * globToRegExp('src/**\/*.ts').test('src/a/b.ts'); // true
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (char === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        source += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else {
        source += '[^/]*';
      }
    } else if (char === '?') {
      source += '[^/]';
    } else if (char === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) {
        source += '\\[';
        continue;
      }
      const body = glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
      source += `[${body}]`;
      i = end;
    } else if (char === '{') {
      braces++;
      source += '(?:';
    } else if (char === '}' && braces > 0) {
      braces--;
      source += ')';
    } else if (char === ',' && braces > 0) {
      source += '|';
    } else {
      source += char.replace(/[.+^$()|\\{}[\]]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}${')'.repeat(braces)}$`);
}

/**
 * Whether a path (relative, `/`-separated) matches a glob. A glob without `/` matches any one
 * segment (`*.ts` a file anywhere, `node_modules` a folder anywhere); one with `/` matches the
 * whole path (`src/**\/*.ts`).
 *
 * @example
 * matchesGlob('src/routes/users.test.ts', '*.test.ts'); // true
 */
export function matchesGlob(path: string, glob: string): boolean {
  const pattern = globToRegExp(glob.replace(/^\.\//, ''));
  if (glob.includes('/')) return pattern.test(path);
  return path.split('/').some((segment) => pattern.test(segment));
}
