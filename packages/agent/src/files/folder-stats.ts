// Figures and the problem state of one folder pair, shared by its sender and receiver; read by
// status() as a FolderStatus.
import type { FolderStatus } from '@sparesync/common';
import type { PartProblem } from '../parts';

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
    this.report({ type: 'ProblemCleared', source: `files:${this.name}` });
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
