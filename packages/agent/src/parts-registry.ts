// The replication parts every agent runs, in start order. One line per part.
import type { AgentPart } from './parts';

export function createParts(): AgentPart[] {
  return [];
}
