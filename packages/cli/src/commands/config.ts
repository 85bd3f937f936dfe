import type { Command } from 'commander';

export function registerConfigCommands(_program: Command): void {
  // filled in by its own change
}
