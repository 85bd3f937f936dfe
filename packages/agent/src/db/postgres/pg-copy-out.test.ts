import { LineChunker, type Lines } from './pg-copy-out';

function run(max: number, pieces: string[]): Lines[] {
  const c = new LineChunker(max);
  const out = pieces.flatMap((p) => c.push(Buffer.from(p)));
  const rest = c.end();
  return rest ? [...out, rest] : out;
}

const text = (runs: Lines[]) => runs.map((r) => r.data.toString());

describe('LineChunker (COPY text output cut into runs of whole lines)', () => {
  it('cuts at the last newline within the limit, whatever the pieces', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `${i}\tvalue ${i}\\n\n`).join('');
    for (const size of [1, 3, 7, 64, lines.length]) {
      const pieces = [];
      for (let i = 0; i < lines.length; i += size) pieces.push(lines.slice(i, i + size));
      const runs = run(40, pieces);
      expect(text(runs).join('')).toBe(lines);
      for (const r of runs) {
        expect(r.data.length).toBeLessThanOrEqual(40);
        expect(r.data.toString().endsWith('\n')).toBe(true);
        expect(r.rows).toBe(r.data.toString().split('\n').length - 1);
      }
      expect(runs.reduce((n, r) => n + r.rows, 0)).toBe(50);
    }
  });

  it('a line longer than the limit makes a run of its own', () => {
    const long = 'x'.repeat(100);
    const runs = run(10, ['a\n', long.slice(0, 30), long.slice(30, 90), long.slice(90), '\nb\n']);
    expect(text(runs)).toEqual(['a\n', `${long}\n`, 'b\n']);
    expect(runs.map((r) => r.rows)).toEqual([1, 1, 1]);
  });

  it('nothing in, nothing out', () => {
    expect(run(10, [])).toEqual([]);
  });
});
