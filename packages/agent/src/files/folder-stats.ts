// Figures and the problem state of one folder pair, shared by its sender and receiver; read by
// status() as a FolderStatus.
import type { FolderStatus } from '@sparesync/common';
import type { PartProblem } from '../parts';
import { fileProblemSource } from '../state';

const KEEP_ERRORS = 10;

export class FolderStats {
  direction = 'idle';
  filesPending = 0;
  bytesPending = 0;
  /** Changed paths waiting for the send delay (not in filesPending yet). */
  changesWaiting = 0;
  lastScanMs = 0;
  lastChangeMs = 0;
  errorCount = 0;
  errors: string[] = [];
  bytesSent = 0;
  bytesMatched = 0;
  filesTransferred = 0;
  problem = '';
  /** Paths whose last send failed (the receiver's disk full, a file it could not write), with the
   * error; the sender retries each with backoff until it succeeds. */
  private readonly failing = new Map<string, string>();

  constructor(
    readonly name: string,
    readonly path: string,
    private readonly report: (p: PartProblem) => void,
  ) {}

  error(message: string): void {
    this.errorCount++;
    this.errors.push(message);
    if (this.errors.length > KEEP_ERRORS) this.errors.shift();
  }

  /** The folder cannot be replicated (missing, unreadable): reported once until it clears. */
  setProblem(detail: string): void {
    if (this.problem === detail) return;
    this.problem = detail;
    this.error(detail);
    this.report({ type: 'FileSyncProblem', fatal: true, folder: this.name, detail });
  }

  clearProblem(): void {
    if (!this.problem) return;
    this.problem = '';
    this.report({ type: 'ProblemCleared', source: fileProblemSource(this.name, false) });
  }

  get failingFiles(): number {
    return this.failing.size;
  }

  /** A path failed to reach the receiver; the folder is WorkingWithErrors while any path fails. */
  fileFailed(path: string, message: string): void {
    const first = this.failing.size === 0;
    this.failing.set(path, message);
    if (first) {
      this.report({
        type: 'FileSyncProblem',
        fatal: false,
        failedFiles: true,
        folder: this.name,
        detail: `files could not be sent and are retried until they are: ${message}`,
      });
    }
  }

  /** A path that had failed reached the receiver (or needs nothing any more). */
  fileRecovered(path: string): void {
    if (!this.failing.delete(path) || this.failing.size > 0) return;
    this.report({ type: 'ProblemCleared', source: fileProblemSource(this.name, true) });
  }

  toStatus(): FolderStatus {
    const { name, path, direction, filesPending, bytesPending, lastScanMs, lastChangeMs } = this;
    const { errorCount, bytesSent, bytesMatched, filesTransferred, problem, changesWaiting } = this;
    return {
      name,
      path,
      direction,
      filesPending,
      bytesPending,
      lastScanMs,
      lastChangeMs,
      errorCount,
      errors: [...this.errors],
      bytesSent,
      bytesMatched,
      filesTransferred,
      problem,
      changesWaiting,
    };
  }
}
