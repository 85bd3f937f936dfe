import { OutputLines, stderrSuffix } from './output-lines';

describe('OutputLines', () => {
  it('splits chunks into lines across chunk borders, skips blank lines and keeps the last few', () => {
    const seen: string[] = [];
    const lines = new OutputLines((l) => seen.push(l), 2);
    lines.push('one\r\ntw');
    lines.push('o\n\nthree\nfo');
    expect(seen).toEqual(['one', 'two', 'three']);
    lines.end();
    expect(seen).toEqual(['one', 'two', 'three', 'fo']);
    expect(lines.tail()).toEqual(['three', 'fo']);
  });

  it('cuts very long lines so a runaway command cannot flood the log', () => {
    const seen: string[] = [];
    const lines = new OutputLines((l) => seen.push(l));
    lines.push('x'.repeat(5000));
    lines.end();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toHaveLength(2001);
  });
});

describe('stderrSuffix', () => {
  it('quotes the last lines, or says there were none', () => {
    expect(stderrSuffix([])).toBe('; it wrote nothing to stderr');
    expect(stderrSuffix(['a', 'b "c"'])).toBe('; last stderr: "a" / "b \\"c\\""');
  });
});
