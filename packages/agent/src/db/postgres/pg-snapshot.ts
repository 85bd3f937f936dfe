// PostgreSQL replication positions are snapshots (pg_snapshot text "xmin:xmax:xip,xip,…").
//
// Why not a sequence number: a change-log row's seq is taken when the row is written, not when its
// transaction commits. T1 takes seq 10, T2 takes seq 11 and commits first; a reader that saw 11 and
// saved "11" would skip 10 forever once T1 commits. Instead a position says which *transactions*
// are included: exactly those visible in the snapshot. The next read takes a new snapshot S and
// returns change-log rows whose txid is visible in S but not in the position — a transaction still
// in progress is invisible to both and is picked up by a later read, whatever its seq.
//
// A batch cut short by the size limit stops before transaction T (never inside one). Its position
// is S restricted to txids below T: visible(S) ∩ [0, T), written as xmin'=min(S.xmin,T), xmax'=T,
// xip' = S.xip ∩ [xmin', T). That set contains the old position's set only when T ≥ old.xmax, so
// the reader never cuts below old.xmax (the few transactions in flight at the old position always
// go whole into the next batch).

export interface Snap {
  xmin: bigint;
  xmax: bigint;
  xip: bigint[];
}

export function parseSnap(text: string): Snap | null {
  const m = /^(\d+):(\d+):([\d,]*)$/.exec(text);
  if (!m) return null;
  const xip = m[3] ? m[3].split(',').map(BigInt) : [];
  return { xmin: BigInt(m[1]!), xmax: BigInt(m[2]!), xip };
}

export function formatSnap(s: Snap): string {
  return `${s.xmin}:${s.xmax}:${s.xip.join(',')}`;
}

export function visible(s: Snap, txid: bigint): boolean {
  return txid < s.xmin || (txid < s.xmax && !s.xip.includes(txid));
}

/** S restricted to transactions below `t` (see above); requires t ≤ S.xmax. */
export function cutSnap(s: Snap, t: bigint): Snap {
  if (t > s.xmax) throw new RangeError(`cut ${t} beyond snapshot xmax ${s.xmax}`);
  const xmin = s.xmin < t ? s.xmin : t;
  return { xmin, xmax: t, xip: s.xip.filter((x) => x >= xmin && x < t) };
}

/**
 * True when every transaction visible in `inner` is visible in `outer`. Used to refuse reading
 * from a position older than the trimmed change log: those rows are gone.
 */
export function covers(outer: Snap, inner: Snap): boolean {
  if (inner.xmax > outer.xmax) return false;
  // Below inner.xmax, outer hides only its own xip: each must be hidden by inner too.
  return outer.xip.every((x) => x >= inner.xmax || !visible(inner, x));
}
