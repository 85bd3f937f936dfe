import { compileExcludes, compileGlob } from './glob';

const m = (pattern: string, path: string, isDir = false) => compileGlob(pattern)(path, isDir);

describe('compileGlob', () => {
  it.each([
    // pattern, path, matches
    ['*.tmp', 'a.tmp', true],
    ['*.tmp', 'deep/er/a.tmp', true], // no '/': the name at any depth
    ['*.tmp', 'a.tmp.bak', false],
    ['*', '.hidden', true],
    ['node_modules', 'x/node_modules', true],
    ['?.log', 'a.log', true],
    ['?.log', 'ab.log', false],
    ['[abc].txt', 'b.txt', true],
    ['[a-c].txt', 'd.txt', false],
    ['[!a-c].txt', 'd.txt', true],
    ['[^a-c].txt', 'a.txt', false],
    ['file\\*', 'file*', true],
    ['file\\*', 'files', false],
    ['logs/*.log', 'logs/a.log', true],
    ['logs/*.log', 'x/logs/a.log', false], // with '/': anchored at the root
    ['logs/*.log', 'logs/sub/a.log', false], // '*' stops at '/'
    ['/cache', 'cache', true],
    ['/cache', 'x/cache', false],
    ['./cache', 'x/cache', false],
    ['**/cache', 'cache', true],
    ['**/cache', 'a/b/cache', true],
    ['a/**/b', 'a/b', true],
    ['a/**/b', 'a/x/y/b', true],
    ['a/**/b', 'a/x/y/c', false],
    ['a/**', 'a/x/y', true],
    ['a/**', 'a', false], // everything inside, not the directory itself
    ['**', 'any/thing', true],
    ['a.b', 'aXb', false], // '.' is literal
    ['(x)+', '(x)+', true],
  ])('%s ~ %s → %s', (pattern, path, expected) => {
    expect(m(pattern, path)).toBe(expected);
  });

  it('a trailing "/" matches directories only', () => {
    expect(m('build/', 'build', true)).toBe(true);
    expect(m('build/', 'build', false)).toBe(false);
    expect(m('build/', 'src/build', true)).toBe(true);
  });

  it('rejects malformed patterns with a clear error', () => {
    expect(() => compileGlob('[abc')).toThrow(/exclude pattern "\[abc": unclosed \[/);
    expect(() => compileGlob('')).toThrow(/empty/);
    expect(() => compileGlob('a\\')).toThrow(/backslash/);
  });

  it('compileExcludes matches if any pattern does', () => {
    const ex = compileExcludes(['*.tmp', 'cache/']);
    expect(ex('a.tmp', false)).toBe(true);
    expect(ex('cache', true)).toBe(true);
    expect(ex('index.html', false)).toBe(false);
    expect(compileExcludes([])('x', false)).toBe(false);
  });
});
