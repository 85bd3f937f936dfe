import { SpareSyncError } from '@sparesync/common';

// Exclude patterns (folders[].exclude), matched against posix paths relative to the folder root.
// Own matcher rather than path.matchesGlob: that one is experimental on Node 20 (it prints a
// warning) and has no "match the name at any depth" rule.
//   *      any characters except '/' (dot files included)
//   ?      one character except '/'
//   [a-z] [!a] [^a]   a character class (never matches '/')
//   **     as a whole segment: zero or more segments; a trailing '/**' matches everything inside
//   \x     the character x
// A pattern without '/' matches the name at any depth (`*.tmp`, `node_modules`); a pattern with a
// '/' (or a leading '/') is anchored at the folder root (`logs/*.log`, `/cache`). A trailing '/'
// matches directories only. An excluded directory excludes everything under it.

export type PathMatcher = (relPath: string, isDir: boolean) => boolean;

export function compileGlob(pattern: string): PathMatcher {
  const bad = (why: string): never => {
    throw new SpareSyncError('ConfigInvalid', `exclude pattern ${JSON.stringify(pattern)}: ${why}`, {
      hint: 'Fix folders[].exclude in the settings.',
    });
  };
  let p = pattern;
  const dirOnly = p.endsWith('/');
  if (dirOnly) p = p.slice(0, -1);
  const anchored = p.includes('/');
  if (p.startsWith('./')) p = p.slice(2);
  else if (p.startsWith('/')) p = p.slice(1);
  if (p === '') bad('empty');
  let source = '';
  let needSep = false; // whether the next segment starts with '/'
  const segments = p.split('/');
  segments.forEach((seg, i) => {
    if (seg === '**') {
      if (segments.length === 1) source += '.*';
      else if (i === 0)
        source += '(?:.*/)?'; // zero or more leading segments
      else if (i === segments.length - 1)
        source += '/.+'; // everything inside, not the directory itself
      else source += '(?:/[^/]+)*';
      needSep = i > 0;
      return;
    }
    source += (needSep ? '/' : '') + segmentToRegex(seg, bad);
    needSep = true;
  });
  const re = new RegExp(`^${source}$`, 's');
  return (relPath, isDir) => {
    if (dirOnly && !isDir) return false;
    if (anchored) return re.test(relPath);
    const slash = relPath.lastIndexOf('/');
    return re.test(slash < 0 ? relPath : relPath.slice(slash + 1));
  };
}

function segmentToRegex(seg: string, bad: (why: string) => never): string {
  let out = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '*') {
      while (seg[i + 1] === '*') i++;
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '\\') {
      if (i + 1 >= seg.length) bad('ends with a backslash');
      out += escapeRegex(seg[++i]!);
    } else if (c === '[') {
      const close = seg.indexOf(']', i + 2);
      if (close < 0) bad('unclosed [');
      let cls = seg.slice(i + 1, close);
      const negate = cls.startsWith('!') || cls.startsWith('^');
      if (negate) cls = cls.slice(1);
      if (cls === '') bad('empty character class');
      out += `[${negate ? '^/' : ''}${cls.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else {
      out += escapeRegex(c);
    }
  }
  return out;
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** One matcher for a list of patterns: true if any matches. */
export function compileExcludes(patterns: readonly string[]): PathMatcher {
  const matchers = patterns.map(compileGlob);
  return (relPath, isDir) => matchers.some((m) => m(relPath, isDir));
}
