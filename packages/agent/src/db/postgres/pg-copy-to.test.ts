import { CopyDataParser, runPool, type Lines } from './pg-copy-to';

function msg(code: string, body: string | Buffer): Buffer {
  const b = typeof body === 'string' ? Buffer.from(body) : body;
  const head = Buffer.alloc(5);
  head[0] = code.charCodeAt(0);
  head.writeUInt32BE(b.length + 4, 1);
  return Buffer.concat([head, b]);
}

const TAIL = Buffer.concat([msg('c', ''), msg('C', 'COPY 3\0'), msg('Z', 'I')]);

/** The server's bytes for `rows`: CopyOutResponse, a notice after the second row, CopyDone… */
function stream(rows: string[]): Buffer {
  const parts = [msg('H', Buffer.from([0, 0, 1, 0, 0]))];
  rows.forEach((r, i) => {
    parts.push(msg('d', r));
    if (i === 1) parts.push(msg('N', 'SNOTICE\0\0'));
  });
  return Buffer.concat([...parts, TAIL]);
}

/** The runs, and what the client's parser gets back: the bytes the parser stopped at, then the later pieces. */
function run(max: number, bytes: Buffer, size: number): { runs: Lines[]; stopped: Buffer | null } {
  const p = new CopyDataParser(max);
  const runs: Lines[] = [];
  let i = 0;
  for (; i < bytes.length && !p.stopped; i += size) p.push(bytes.subarray(i, i + size), runs);
  const rest = p.end();
  const stopped = p.stopped && Buffer.concat([p.stopped, bytes.subarray(i)]);
  return { runs: rest ? [...runs, rest] : runs, stopped };
}

const text = (runs: Lines[]) => runs.map((r) => r.data.toString());

describe('CopyDataParser (COPY TO output cut into runs of whole lines)', () => {
  it('runs of the most whole lines within the limit, whatever the pieces', () => {
    const rows = Array.from({ length: 50 }, (_, i) => `${i}\tvalue ${i}\\n\n`);
    const bytes = stream(rows);
    for (const size of [1, 2, 3, 5, 7, 64, bytes.length]) {
      const { runs, stopped } = run(40, bytes, size);
      expect(text(runs).join('')).toBe(rows.join(''));
      for (const [k, r] of runs.entries()) {
        expect(r.data.length).toBeLessThanOrEqual(40);
        expect(r.rows).toBe(r.data.toString().split('\n').length - 1);
        // The next run's first line would not have fitted.
        const next = runs[k + 1];
        if (next) expect(r.data.length + next.data.indexOf('\n') + 1).toBeGreaterThan(40);
      }
      expect(runs.reduce((n, r) => n + r.rows, 0)).toBe(50);
      // The client's parser gets everything from CopyDone on.
      expect(stopped).toEqual(TAIL);
    }
  });

  it('a line longer than the limit makes a run of its own', () => {
    const long = `${'x'.repeat(100)}\n`;
    const bytes = stream(['a\n', long, 'b\n']);
    for (const size of [1, 4, 30, bytes.length]) {
      const { runs } = run(10, bytes, size);
      expect(text(runs)).toEqual(['a\n', long, 'b\n']);
      expect(runs.map((r) => r.rows)).toEqual([1, 1, 1]);
    }
  });

  it('stops at an error, handing it back whole', () => {
    const error = msg('E', 'SERROR\0Mboom\0\0');
    const bytes = Buffer.concat([msg('H', Buffer.alloc(5)), msg('d', 'a\n'), error, msg('Z', 'E')]);
    for (const size of [1, 3, bytes.length]) {
      const { runs, stopped } = run(100, bytes, size);
      expect(text(runs)).toEqual(['a\n']);
      expect(stopped).toEqual(bytes.subarray(bytes.indexOf(error)));
    }
  });

  it('nothing in, nothing out', () => {
    expect(run(10, TAIL, 3)).toEqual({ runs: [], stopped: TAIL });
  });

  it('runs released as they are read reuse one buffer, and read right', () => {
    const rows = Array.from({ length: 200 }, (_, i) => `${i}\tvalue ${i}\n`);
    const bytes = stream(rows);
    const p = new CopyDataParser(64, runPool(64));
    const seen: string[] = [];
    const buffers = new Set<ArrayBufferLike>();
    const take = (r: Lines) => {
      seen.push(r.data.toString());
      buffers.add(r.data.buffer);
      r.release?.();
    };
    for (let i = 0; i < bytes.length && !p.stopped; i += 50) p.push(bytes.subarray(i, i + 50)).forEach(take);
    const last = p.end();
    if (last) take(last);
    expect(seen.join('')).toBe(rows.join(''));
    expect(seen.length).toBeGreaterThan(20);
    // The run being filled and the one just released: two buffers for all the runs.
    expect(buffers.size).toBeLessThanOrEqual(2);
  });
});
