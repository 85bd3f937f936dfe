// The receiving end of a Files stream: applies the sender's frames in order, one at a time, and
// answers each frame that has an id. A bad frame (a path outside the folder, a checksum mismatch)
// fails only itself; a frame from a lower epoch than ours, or arriving while this side is not
// receiving, ends the whole stream.
import { once } from 'node:events';
import { inflateRawSync } from 'node:zlib';
import * as grpc from '@grpc/grpc-js';
import { SpareSyncError, type Logger } from '@sparesync/common';
import { fenceRefusal } from '../link/stream-fence';
import type { Direction } from '../parts';
import { DEFAULT_MAX_LITERAL, type DeltaOp } from './delta';
import type { FolderWriter } from './folder-writer';
import { sweepStaleTemps } from './atomic-write';
import { addBatch } from './batch';
import { CommitPipeline } from './commit-group';
import { sharedSlice } from './loop-slice';
import { entryFromWire, entryToWire, type FileAck, type FileEntryWire, type FileFrame } from './frames';
import { ManifestPacker } from './manifest-codec';
import { releaseMemoryAfter } from '../memory';
import { scanFolder, scanSteps, type EntrySink } from './scan';
import { encodeSignature } from './signature-codec';

export interface ReceiverDeps {
  writers: ReadonlyMap<string, FolderWriter>;
  epoch(): number;
  direction(): Direction;
  log: Logger;
  /** An entry was applied (`applied`) or a frame failed (`error`). */
  onApplied(folder: string): void;
  onError(folder: string, message: string): void;
  onListed(folder: string, error?: Error): void;
}

const LIST_PART = 2000;
/** Files up to one data chunk are received whole and published in a commit group. */
const SMALL_FILE = DEFAULT_MAX_LITERAL;
/** Files published concurrently per stream before their directories are synced and acks sent. */
const GROUP_FILES = 256;
const IDLE = Symbol('idle');
const SIGNATURE_PART = 1024 * 1024;

/** The sender aborted a transfer because the file changed while it read it: it sends the file
 * again once it is quiet, so this is no error of the folder's. */
class TransferAborted extends SpareSyncError {
  constructor() {
    super('FileVerifyFailed', 'the sender saw the file change while reading it');
  }
}

class Refused extends Error {
  constructor(
    readonly code: grpc.status,
    message: string,
  ) {
    super(message);
  }
}

export async function serveFilesStream(call: grpc.ServerDuplexStream<unknown, unknown>, deps: ReceiverDeps) {
  const frames = call[Symbol.asyncIterator]() as AsyncIterator<FileFrame>;
  const reply = async (ack: Partial<FileAck>): Promise<void> => {
    if (!call.write({ last: true, epoch: deps.epoch(), ...ack })) await once(call, 'drain');
  };
  const next = async (): Promise<FileFrame | undefined> => {
    const r = await frames.next();
    if (r.done) return undefined;
    const f = r.value;
    const refusal = fenceRefusal('file frames', f.epoch, {
      epoch: deps.epoch(),
      receiving: deps.direction() === 'receive',
    });
    if (refusal) throw new Refused(refusal.code, refusal.details);
    return f;
  };
  const group = new CommitPipeline(GROUP_FILES);
  /** The next frame; the open group is sealed first when it is full or no frame is ready yet. */
  const following = async (): Promise<FileFrame | undefined> => {
    // Frames buffered by flow control come as resolved promises: without this, a backlog of
    // batches was handled back to back and the link's keepalive pings went unanswered.
    await sharedSlice.turn();
    if (group.size >= group.maxFiles) await group.seal();
    if (group.size === 0) return next();
    const coming = next();
    coming.catch(() => undefined); // handled by the caller; not unhandled if seal() throws first
    const got = await Promise.race([coming, new Promise<typeof IDLE>((r) => setImmediate(r, IDLE))]);
    if (got !== IDLE) return got;
    await group.seal();
    return coming;
  };
  const failed = async (frame: FileFrame, e: unknown): Promise<void> => {
    const err = e as Error & { code?: string };
    if (e instanceof TransferAborted) deps.log.debug(`${frame.folder}: ${err.message}`);
    else {
      deps.log.warn(`file frame refused: ${err.message}`, { folder: frame.folder, code: err.code });
      if (frame.body === 'list') deps.onListed(frame.folder, err);
      else deps.onError(frame.folder, err.message);
    }
    if (frame.id) await reply({ id: frame.id, error: err.message, code: err.code ?? 'Error' });
  };
  /** A batch joins the open commit group; its one ack follows the last of its files' commits. */
  const receiveBatch = async (frame: FileFrame, writer: FolderWriter | undefined): Promise<void> => {
    const batch = frame.batch ?? { files: [] };
    if (batch.files.some((b) => group.has(b.entry?.path ?? ''))) await group.drain();
    try {
      if (!writer) throw new SpareSyncError('ConfigInvalid', `no folder pair named ${frame.folder} here`);
      await addBatch(writer, batch, group, async (failures) => {
        for (const x of failures) {
          deps.log.warn(`file refused: ${x.error}`, { folder: frame.folder, path: x.path, code: x.code });
          deps.onError(frame.folder, x.error);
        }
        for (let i = failures.length; i < batch.files.length; i++) deps.onApplied(frame.folder);
        await reply({ id: frame.id, failures });
      });
    } catch (e) {
      await failed(frame, e);
    }
  };
  try {
    for (let f = await following(); f; f = await following()) {
      const frame = f;
      const writer = deps.writers.get(frame.folder);
      if (frame.body === 'batch') {
        await receiveBatch(frame, writer);
        continue;
      }
      const begin = frame.body === 'begin' ? frame.begin : null;
      const transferred = begin?.entry?.type === 'file' ? begin.entry : null;
      const small = transferred !== null && transferred.size <= SMALL_FILE && !group.has(transferred.path);
      // Everything but a small file sees the files before it published, durable and acknowledged.
      if (!small) await group.drain();
      const ops = transferred ? transferOps(frame.id, next) : null;
      try {
        if (!writer) throw new SpareSyncError('ConfigInvalid', `no folder pair named ${frame.folder} here`);
        if (small) {
          const e = entryFromWire(transferred);
          const blockSize = begin?.blockSize ?? 0;
          const list: DeltaOp[] = [];
          for await (const op of ops!.ops()) list.push(op);
          const whole = blockSize === 0 && list.every((op) => op.kind !== 'copy');
          const work = whole
            ? writer.smallFile(e, list)
            : writer.file(e, blockSize, fromList(list), { deferDirSync: true });
          group.add(e.path, work, async (error) => {
            if (error) return failed(frame, error);
            deps.onApplied(frame.folder);
            await reply({ id: frame.id });
          });
          continue;
        }
        await applyFrame(frame, writer, reply, ops, deps.log);
        if (frame.body === 'list') deps.onListed(frame.folder);
        else if (frame.id) deps.onApplied(frame.folder);
      } catch (e) {
        if (e instanceof Refused) throw e;
        if (ops) await ops.drain();
        await failed(frame, e);
      }
    }
    await group.drain();
    call.end();
  } catch (e) {
    await group.drain().catch(() => undefined);
    const code = e instanceof Refused ? e.code : grpc.status.INTERNAL;
    deps.log.warn(`Files stream ended: ${(e as Error).message}`);
    call.emit('error', { code, details: (e as Error).message });
  }
}

async function* fromList(ops: DeltaOp[]): AsyncGenerator<DeltaOp> {
  yield* ops;
}

async function applyFrame(
  f: FileFrame,
  w: FolderWriter,
  reply: (ack: Partial<FileAck>) => Promise<void>,
  ops: TransferOps | null,
  log: Logger,
): Promise<void> {
  switch (f.body) {
    case 'list': {
      const { root, exclude, symlinks } = w.cfg;
      const temps = sweepStaleTemps(root, log);
      const options = { exclude, symlinks, onTemp: temps.onTemp };
      if (f.list.packed) {
        const packer = new ManifestPacker();
        let listed = 0;
        const put: EntrySink = (...fields) => {
          listed++;
          packer.put(...fields);
        };
        for await (const _ of scanSteps(root, options, put)) {
          if (packer.full) await reply({ id: f.id, manifest: packer.take(), last: false });
        }
        temps.done();
        await reply({ id: f.id, manifest: packer.take() });
        return releaseMemoryAfter(listed);
      }
      let part: FileEntryWire[] = [];
      for await (const e of scanFolder(root, options)) {
        part.push(entryToWire(e));
        if (part.length === LIST_PART) {
          await reply({ id: f.id, entries: part, last: false });
          part = [];
        }
      }
      temps.done();
      return reply({ id: f.id, entries: part });
    }
    case 'signature': {
      const found = await w.signature(f.signature.path, f.signature.blockSize);
      if (!found) return reply({ id: f.id });
      const sig = encodeSignature(found);
      for (let at = 0; at < sig.length; at += SIGNATURE_PART) {
        const end = Math.min(at + SIGNATURE_PART, sig.length);
        await reply({ id: f.id, signature: sig.subarray(at, end), last: end === sig.length });
      }
      return;
    }
    case 'begin': {
      const e = entryFromWire(f.begin.entry);
      if (e.type === 'dir') await w.dir(e);
      else if (e.type === 'symlink') await w.symlink(e);
      else await w.file(e, f.begin.blockSize, ops!.ops());
      return reply({ id: f.id });
    }
    case 'remove':
      await w.remove(f.remove.path);
      return reply({ id: f.id });
    case 'rename':
      await w.rename(f.rename.from, f.rename.to);
      return reply({ id: f.id });
    case 'meta':
      await w.meta(entryFromWire(f.meta));
      return reply({ id: f.id });
    default:
      throw new SpareSyncError('InvalidArgument', `unexpected ${f.body ?? 'empty'} frame outside a transfer`);
  }
}

interface TransferOps {
  ops(): AsyncGenerator<DeltaOp>;
  /** Skips what is left of the transfer after a failure. */
  drain(): Promise<void>;
}

/** The delta ops of the transfer `id`: its chunk frames up to its end frame. */
function transferOps(id: number, next: () => Promise<FileFrame | undefined>): TransferOps {
  let ended = false;
  const read = async (): Promise<Extract<FileFrame, { body: 'chunk' | 'end' }>> => {
    const f = await next();
    if (!f) throw new SpareSyncError('FileVerifyFailed', 'the stream ended in the middle of a transfer');
    if (f.id !== id || (f.body !== 'chunk' && f.body !== 'end')) {
      throw new SpareSyncError(
        'InvalidArgument',
        `a ${f.body} frame arrived in the middle of transfer ${id}`,
      );
    }
    if (f.body === 'end') ended = true;
    return f;
  };
  return {
    async *ops() {
      for (;;) {
        const f = await read();
        if (f.body === 'chunk') {
          const c = f.chunk;
          if (c.count > 0) yield { kind: 'copy', block: c.block, count: c.count };
          else yield { kind: 'data', data: c.deflated ? inflateRawSync(c.data) : c.data };
        } else {
          if (f.end.abort) throw new TransferAborted();
          yield { kind: 'end', size: f.end.size, sha256: f.end.sha256 };
          return;
        }
      }
    },
    async drain() {
      while (!ended) await read();
    },
  };
}
