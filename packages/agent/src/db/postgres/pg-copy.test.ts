import { copyValue } from './pg-copy';

describe('copyValue (COPY text format)', () => {
  it.each([
    [null, '\\N'],
    ['plain', 'plain'],
    ['a\tb\nc\rd\\e', 'a\\tb\\nc\\rd\\\\e'],
    ['\\N', '\\\\N'],
    [true, 't'],
    [false, 'f'],
    [12n, '12'],
    [1.5, '1.5'],
    [Buffer.from([0, 255, 16]), '\\\\x00ff10'],
    [new Uint8Array([1, 2]).subarray(1), '\\\\x02'],
  ])('%p → %p', (v, text) => expect(copyValue(v)).toBe(text));
});
