import { open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PipelinedWriter } from './pipelined-writer';
import { pseudoRandomBytes, tempFolder } from '@sparesync/devkit/testing';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempFolder('writer')));
afterAll(() => cleanup());

describe('PipelinedWriter', () => {
  it('keeps the order of many overlapping writes and recycles copy buffers only once written', async () => {
    const p = join(dir, 'out');
    const out = await open(p, 'w');
    const w = new PipelinedWriter(out);
    const expected: Buffer[] = [];
    for (let i = 0; i < 40; i++) {
      if (i % 2 === 0) {
        const data = pseudoRandomBytes(1000 + i, i + 1);
        expected.push(data);
        await w.write(data);
      } else {
        const buf = await w.buffer();
        const chunk = buf.subarray(0, 5000);
        pseudoRandomBytes(5000, i + 1).copy(chunk);
        expected.push(Buffer.from(chunk));
        await w.write(chunk, buf);
      }
    }
    await w.flush();
    await out.close();
    expect((await readFile(p)).equals(Buffer.concat(expected))).toBe(true);
  });

  it('reports a failed write', async () => {
    const p = join(dir, 'read-only');
    await writeFile(p, '');
    const out = await open(p, 'r');
    const w = new PipelinedWriter(out);
    const err = await (async () => {
      await w.write(Buffer.from('x'));
      await w.flush();
    })().catch((e: NodeJS.ErrnoException) => e);
    await out.close();
    expect((err as NodeJS.ErrnoException).code).toBe('EBADF');
  });

  it('starts the writeback of a large output early, and flush() waits for it', async () => {
    const p = join(dir, 'large-out');
    const out = await open(p, 'w');
    const datasync = jest.spyOn(out, 'datasync');
    const w = new PipelinedWriter(out);
    const chunk = pseudoRandomBytes(4 * 1024 * 1024, 7);
    for (let i = 0; i < 10; i++) await w.write(chunk); // 40 MiB
    await w.flush();
    await out.close();
    expect(datasync).toHaveBeenCalled();
    expect((await readFile(p)).length).toBe(40 * 1024 * 1024);
  });
});
