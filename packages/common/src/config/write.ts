// Rewriting a settings file in place. The agent may read the file at any moment and a crash may
// come at any moment, so the file is never half-written: the new text goes to a temp file in the
// same folder (same file system, so rename is atomic), is fsynced, takes the old file's mode (and
// owner, when we may set it), and is renamed over the old file; then the folder is fsynced so the
// rename itself survives a crash (durable-file.ts).
import { writeFileDurablySync } from '../durable-file';

/** The indentation of the first indented line, so a rewrite keeps the operator's layout. */
export function detectIndent(text: string): string {
  return /^[ \t]+(?=\S)/m.exec(text)?.[0] ?? '  ';
}

export function serializeSettings(doc: unknown, originalText?: string): string {
  return JSON.stringify(doc, null, originalText === undefined ? '  ' : detectIndent(originalText)) + '\n';
}

/** Replaces `file` with `text` durably, keeping its mode and owner (durable-file.ts). */
export function writeFileAtomic(file: string, text: string): void {
  writeFileDurablySync(file, text, { mode: 'keep' });
}
