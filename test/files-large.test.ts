// File replication under stress between two real agents: a 200 MiB file changed in a few places
// sends a small fraction of its bytes; kill -9 of the receiver in the middle of a large transfer
// leaves no partial file and completes after the restart; kill -9 of the sender resumes by scan;
// a local change on the secondary is reverted; .deleted keeps both versions on a name collision;
// a crafted frame with '../' is refused while the stream goes on.
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { loadSettings, pinnedClientCredentials, serviceClient, type WireMessage } from '@sparesync/common';
import { Pair, waitFor } from './harness/pair';
import { foldersPatch, makeFolderPair, waitForSameTree, type FolderPair } from './harness/folders';

type FileAck = WireMessage<'FileAck'>;

const MiB = 1024 * 1024;

/** The parts of a grpc-js duplex call this test uses. */
interface FilesCall {
  write(frame: object): boolean;
  end(): void;
  on(event: 'data', f: (a: FileAck) => void): void;
  on(event: 'error', f: () => void): void;
}

function writeRandomFile(path: string, bytes: number): void {
  const fd = openSync(path, 'w');
  for (let at = 0; at < bytes; at += 8 * MiB) writeSync(fd, randomBytes(Math.min(8 * MiB, bytes - at)));
  closeSync(fd);
}

function patchInPlace(path: string, offsets: number[]): void {
  const fd = openSync(path, 'r+');
  for (const o of offsets) writeSync(fd, randomBytes(100), 0, 100, o);
  closeSync(fd);
}

const temps = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('.sparesync-tmp-'));

describe('large files, crashes and refusals', () => {
  let pair: Pair;
  let f: FolderPair;
  beforeAll(async () => {
    f = makeFolderPair('data');
    writeFileSync(join(f.src, 'small.txt'), 'v1');
    pair = await Pair.create({
      both: foldersPatch([f], { scanIntervalSeconds: 1, exclude: ['*.log', 'private/'] }),
    });
    await pair.startBoth();
    await waitForSameTree(f);
  });
  afterAll(async () => {
    await pair.stop();
    for (const d of [f.src, f.dst]) rmSync(d, { recursive: true, force: true });
  });

  const sent = async () => (await pair.status('primary')).folders![0]!.bytesSent;

  it('sends only a small fraction of a 200 MiB file changed in a few places', async () => {
    writeRandomFile(join(f.src, 'big.bin'), 200 * MiB);
    await waitForSameTree(f, 60_000);
    const before = await sent();
    expect(before).toBeGreaterThanOrEqual(200 * MiB);
    patchInPlace(join(f.src, 'big.bin'), [5 * MiB, 77 * MiB, 150 * MiB + 3, 199 * MiB]);
    await waitForSameTree(f, 60_000);
    const delta = (await sent()) - before;
    expect(delta).toBeGreaterThan(0);
    expect(delta).toBeLessThan(2 * MiB); // 1% of the file
  });

  it('reverts a local change on the secondary and archives it', async () => {
    writeFileSync(join(f.dst, 'small.txt'), 'changed on the secondary');
    await waitFor('reverted', async () =>
      readFileSync(join(f.dst, 'small.txt'), 'utf8') === 'v1' ? true : undefined,
    );
    const archived = readdirSync(join(f.dst, '.deleted/data'));
    expect(archived).toContain('small.txt');
  });

  it('keeps both versions in .deleted on a name collision', async () => {
    for (const v of ['v2', 'v3']) {
      writeFileSync(join(f.src, 'small.txt'), v);
      await waitFor(v, async () => (readFileSync(join(f.dst, 'small.txt'), 'utf8') === v ? true : undefined));
    }
    const names = readdirSync(join(f.dst, '.deleted/data')).filter((n) => n.startsWith('small'));
    expect(names.length).toBeGreaterThanOrEqual(3);
    const contents = names.map((n) => readFileSync(join(f.dst, '.deleted/data', n), 'utf8'));
    expect(contents).toEqual(expect.arrayContaining(['v1', 'v2', 'changed on the secondary']));
  });

  it('refuses crafted frames (../, internal names, excluded paths) and goes on with the next one on the same stream', async () => {
    const s = loadSettings(pair.config('primary'));
    const read = (p: string) => readFileSync(s.resolvePath(p));
    const secondary = loadSettings(pair.config('secondary')).settings;
    const Link = serviceClient('Link');
    const client = new Link(
      `127.0.0.1:${secondary.listen.port}`,
      pinnedClientCredentials(
        { ca: read(s.settings.tls.ca), cert: read(s.settings.tls.cert), key: read(s.settings.tls.key) },
        s.settings.peer.fingerprint,
      ),
    );
    const call = (client as unknown as { files(): FilesCall }).files();
    const acks: FileAck[] = [];
    call.on('data', (a: FileAck) => acks.push(a));
    call.on('error', () => undefined); // the stream is cancelled when the client closes
    const entry = (path: string) => ({
      path,
      type: 'file',
      size: 4,
      mtimeMs: Date.now(),
      mode: 0o644,
      linkTarget: '',
    });
    const file = (id: number, path: string) => {
      call.write({ epoch: 0, folder: 'data', id, begin: { entry: entry(path), blockSize: 0 } });
      call.write({ epoch: 0, folder: 'data', id, chunk: { data: Buffer.from('evil') } });
      call.write({ epoch: 0, folder: 'data', id, end: { size: 4, sha256: Buffer.alloc(32), abort: false } });
    };
    file(1, '../escaped.txt');
    call.write({ epoch: 0, folder: 'data', id: 2, remove: { path: '../../etc' } });
    call.write({ epoch: 0, folder: 'data', id: 3, meta: entry('small.txt') });
    // A batch of small files: the refused path fails alone, the others are published. The
    // primary has the same content, so its scans do not take them away while this test reads.
    writeFileSync(join(f.src, 'batch-a.txt'), 'a');
    writeFileSync(join(f.src, 'batch-b.txt'), 'bb');
    const whole = (path: string, text: string) => {
      const data = Buffer.from(text);
      const sha256 = createHash('sha256').update(data).digest();
      return { entry: { ...entry(path), size: data.length }, data, deflated: false, sha256 };
    };
    const files = [
      whole('batch-a.txt', 'a'),
      whole('../escaped-too.txt', 'evil'),
      whole('batch-b.txt', 'bb'),
    ];
    call.write({ epoch: 0, folder: 'data', id: 4, batch: { files } });
    // Paths inside the folder that the sender may not send all the same: SpareSync's own names
    // (the .deleted archive, temp files) and what this side's folders[].exclude excludes.
    mkdirSync(join(f.dst, 'private'), { recursive: true });
    writeFileSync(join(f.dst, 'private/keep.txt'), 'the secondary keeps this');
    file(5, '.deleted/data/planted.txt');
    file(6, 'sub/.sparesync-tmp-planted');
    file(7, 'private/secret.txt');
    file(8, 'app.log');
    call.write({ epoch: 0, folder: 'data', id: 9, remove: { path: 'private' } });
    call.write({ epoch: 0, folder: 'data', id: 10, batch: { files: [whole('.sparesync-tmp-b', 'x')] } });
    await waitFor('ten acks', async () => (acks.length >= 10 ? true : undefined));
    call.end();
    client.close();
    expect(acks.map((a) => [a.id, a.code])).toEqual([
      [1, 'PathRejected'],
      [2, 'PathRejected'],
      [3, ''],
      [4, ''],
      [5, 'PathRejected'],
      [6, 'PathRejected'],
      [7, 'PathRejected'],
      [8, 'PathRejected'],
      [9, 'PathRejected'],
      [10, ''],
    ]);
    expect(acks[4]!.error).toMatch(/names a file of SpareSync itself/);
    expect(acks[6]!.error).toMatch(/folders\[\]\.exclude of folder data on this server excludes private/);
    const refusedInBatch = acks[9]!.failures;
    expect(refusedInBatch.map((x) => x.code)).toEqual(['PathRejected']);
    expect(existsSync(join(f.dst, '.deleted/data/planted.txt'))).toBe(false);
    expect(existsSync(join(f.dst, 'sub'))).toBe(false);
    expect(existsSync(join(f.dst, '.sparesync-tmp-b'))).toBe(false);
    expect(existsSync(join(f.dst, 'app.log'))).toBe(false);
    expect(readFileSync(join(f.dst, 'private/keep.txt'), 'utf8')).toBe('the secondary keeps this');
    rmSync(join(f.dst, 'private'), { recursive: true }); // the trees are compared in the next tests
    const failures = acks[3]!.failures;
    expect(failures.map((x) => [x.index, x.code])).toEqual([[1, 'PathRejected']]);
    expect(readFileSync(join(f.dst, 'batch-a.txt'), 'utf8')).toBe('a');
    expect(readFileSync(join(f.dst, 'batch-b.txt'), 'utf8')).toBe('bb');
    expect(existsSync(join(f.dst, '..', 'escaped.txt'))).toBe(false);
    expect(existsSync(join(f.dst, '..', 'escaped-too.txt'))).toBe(false);
  });

  it('kill -9 of the receiver mid-transfer leaves no partial file; the transfer completes after restart', async () => {
    writeRandomFile(join(f.src, 'huge.bin'), 200 * MiB);
    await waitFor(
      'a temp file on the secondary',
      async () => (temps(f.dst).length > 0 ? true : undefined),
      30_000,
    );
    await pair.signal('secondary', 'SIGKILL');
    expect(existsSync(join(f.dst, 'huge.bin'))).toBe(false);
    pair.start('secondary');
    await waitForSameTree(f, 60_000);
    expect(temps(f.dst)).toEqual([]);
  });

  it('kill -9 of the sender: changes made while it is down are sent by the start-up scan', async () => {
    await pair.signal('primary', 'SIGKILL');
    rmSync(join(f.src, 'huge.bin'));
    writeFileSync(join(f.src, 'while-down.txt'), 'written while the primary agent was down');
    pair.start('primary');
    await waitForSameTree(f, 30_000);
  });
});
