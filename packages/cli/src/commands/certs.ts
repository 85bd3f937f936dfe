import type { Command } from 'commander';

export function registerCertsCommands(_program: Command): void {
  // filled in by its own change
}
