// The fault suite's bookkeeping: a seeded random source (the seed is printed, and SPARESYNC_SEED
// replays it), the versions the primary wrote (recorded before they become visible), samples of
// the secondary's tree against them, and the table of violations per invariant.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEMP_PREFIX } from '@sparesync/common';

/** mulberry32: small, seeded, good enough to pick moments and signals. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const seedFromEnv = (): number => Number(process.env.SPARESYNC_SEED ?? Date.now() % 1_000_000);
/** CHAOS_TRIALS: trials per scenario (the short form in CI; `pnpm chaos` runs the long form). */
export const trialsFromEnv = (short: number): number => Number(process.env.CHAOS_TRIALS ?? short);

export const sha = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

export const invariants = [
  'torn or unknown file',
  'trees differ after quiet',
  'temp files left',
  'agent died',
  'both serving (ms over allowance)',
  'hostile frame accepted',
] as const;
export type Invariant = (typeof invariants)[number];

export interface ScenarioResult {
  scenario: string;
  trials: number;
  seed: number;
  violations: Record<Invariant, number>;
  /** Violations explained (a failing trial names itself here). */
  notes: string[];
  /** Measured figures worth printing beside the table (no violation). */
  figures: string[];
}

export function newResult(scenario: string, trials: number, seed: number): ScenarioResult {
  const violations = Object.fromEntries(invariants.map((i) => [i, 0])) as Record<Invariant, number>;
  return { scenario, trials, seed, violations, notes: [], figures: [] };
}

/** Every content each path of the primary has had (SHA-256), recorded before it was written. */
export class Versions {
  private readonly seen = new Map<string, Set<string>>();
  record(path: string, data: Uint8Array | string): void {
    let s = this.seen.get(path);
    if (!s) this.seen.set(path, (s = new Set()));
    s.add(sha(data));
  }
  /** Paths of `root` (not .deleted, not temp files) whose content is no version the primary wrote. */
  unknownIn(root: string): string[] {
    const bad: string[] = [];
    const walk = (dir: string, prefix: string) => {
      for (const name of readdirSync(dir)) {
        const rel = prefix + name;
        if (rel === '.deleted' || name.startsWith(TEMP_PREFIX)) continue;
        const p = join(dir, name);
        let st;
        try {
          st = lstatSync(p);
        } catch {
          continue; // replaced or removed while sampled
        }
        if (st.isDirectory()) walk(p, rel + '/');
        else if (st.isFile()) {
          let data: Buffer;
          try {
            data = readFileSync(p);
          } catch {
            continue;
          }
          if (!this.seen.get(rel)?.has(sha(data))) bad.push(rel);
        }
      }
    };
    walk(root, '');
    return bad;
  }
}

/** Temp files left anywhere under `root` (the .deleted archive included). */
export function tempFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      if (d.name.startsWith(TEMP_PREFIX)) found.push(join(dir, d.name));
      else if (d.isDirectory()) walk(join(dir, d.name));
    }
  };
  walk(root);
  return found;
}

/** The table the suite prints: one row per scenario, one column per invariant. */
export function formatTable(results: ScenarioResult[]): string {
  const head = ['scenario', 'trials', 'seed', ...invariants];
  const rows = results.map((r) => [
    r.scenario,
    String(r.trials),
    String(r.seed),
    ...invariants.map((i) => String(r.violations[i])),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => `| ${cells.map((x, c) => x.padEnd(widths[c]!)).join(' | ')} |`;
  const notes = results.flatMap((r) => [...r.figures, ...r.notes].map((n) => `${r.scenario}: ${n}`));
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), ...notes].join('\n');
}
