// The replication parts every agent runs, in start order. One line per part.
import type { AgentPart } from './parts';
import { DbPart } from './db/part/db-part';
import { FilesPart } from './files/files-part';

export function createParts(): AgentPart[] {
  return [new FilesPart(), new DbPart()];
}
