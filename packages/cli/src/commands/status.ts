import type { Command } from 'commander';

export function registerStatusCommand(_program: Command): void {
  // filled in by its own change
}
