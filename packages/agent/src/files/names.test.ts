import { isInternalPath } from './names';

describe('isInternalPath', () => {
  it.each([
    ['.deleted', true],
    ['.deleted/docs/a.txt', true],
    ['.sparesync-tmp-0123abcd', true],
    ['a/b/.sparesync-tmp-x', true],
    ['a/.deleted/x', false],
    ['.deleted-not', false],
    ['docs/readme.md', false],
  ])('%s → %s', (p, internal) => {
    expect(isInternalPath(p)).toBe(internal);
  });
});
