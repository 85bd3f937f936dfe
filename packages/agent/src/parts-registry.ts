// The replication parts every agent runs, in start order. One line per part.
import { FilesPart } from './files/files-part';
import type { AgentPart } from './parts';

export function createParts(): AgentPart[] {
  return [new FilesPart()];
}
