// Splits a child process's output into lines as it arrives, and keeps the last few for error messages.

const MAX_LINE = 2000;

export class OutputLines {
  private partial = '';
  private readonly last: string[] = [];

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly keep = 5,
  ) {}

  push(chunk: string): void {
    const parts = (this.partial + chunk).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    if (this.partial.length > MAX_LINE) {
      parts.push(this.partial);
      this.partial = '';
    }
    for (const line of parts) this.emit(line);
  }

  /** Emits what is left after the last newline. */
  end(): void {
    if (this.partial) this.emit(this.partial);
    this.partial = '';
  }

  /** The last non-empty lines, oldest first. */
  tail(): string[] {
    return [...this.last];
  }

  private emit(raw: string): void {
    const line = raw.length > MAX_LINE ? `${raw.slice(0, MAX_LINE)}…` : raw;
    if (!line.trim()) return;
    this.onLine(line);
    this.last.push(line);
    if (this.last.length > this.keep) this.last.shift();
  }
}

/** ` (stderr: "a" / "b")`, shortened for one error line; empty when there was none. */
export function stderrSuffix(lines: string[]): string {
  if (!lines.length) return '; it wrote nothing to stderr';
  const short = lines.map((l) => JSON.stringify(l.length > 300 ? `${l.slice(0, 300)}…` : l));
  return `; last stderr: ${short.join(' / ')}`;
}
