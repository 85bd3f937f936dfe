// Human-readable rendering of a Status for `sparesync status` and `sparesync demo`.
import type { FolderStatus, Status } from '@sparesync/common';
import { switchProgressLine } from './switch-progress';

function ago(ms: number, now: number): string {
  if (!ms) return 'never';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  return s < 120 ? `${s} s ago` : `${Math.round(s / 60)} min ago`;
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  for (; v >= 1024 && u < units.length - 1; u++) v /= 1024;
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

/** One line per folder pair: what it does, what is pending, when it last compared and changed. */
function folderLine(f: FolderStatus, now: number): string {
  const waiting = f.changesWaiting ? `, ${f.changesWaiting} change(s) waiting for the send delay` : '';
  const errors = f.errorCount ? `, ${f.errorCount} error(s), last: ${f.errors.at(-1) ?? ''}` : '';
  const problem = f.problem ? `; PROBLEM: ${f.problem}` : '';
  return (
    `folder       ${f.name} (${f.path}): ${f.direction}, ${f.filesPending} file(s) / ${bytes(f.bytesPending)} pending` +
    `${waiting}, last comparison ${ago(f.lastScanMs, now)}, last change ${ago(f.lastChangeMs, now)}${errors}${problem}`
  );
}

export function formatStatus(st: Status, now = Date.now()): string {
  const l = st.local;
  const r = st.remote;
  const k = st.link;
  const lines = [
    `this server  ${l.role.padEnd(9)} ${l.state.padEnd(18)} ${l.reason}`,
    `             ${l.name}, version ${l.version}, epoch ${l.epoch}`,
    `peer         ${(r.role || '?').padEnd(9)} ${r.state.padEnd(18)} ${r.reachable ? 'reachable' : 'unreachable'} at ${r.address}, last seen ${ago(r.lastSeenMs, now)}`,
  ];
  if (r.reason) lines.push(`             ${r.reason}`);
  lines.push(
    k.connected
      ? `link         connected since ${new Date(k.connectedSinceMs).toISOString()}, rtt ${k.rttMs.toFixed(1)} ms, peer clock ${k.clockOffsetMs >= 0 ? '+' : ''}${k.clockOffsetMs.toFixed(1)} ms`
      : `link         down${k.lastError ? `: ${k.lastError}` : ''} (reconnect attempts: ${k.reconnectAttempts})`,
  );
  if (l.lastSwitch) lines.push(`switch       ${switchProgressLine(l.lastSwitch)}`);
  const down = l.lastShutdown;
  if (down) {
    const how = down.clean ? 'stopped' : 'ended without stopping after';
    const review = down.checked ? 'checked' : 'NOT CHECKED: review it, then run sparesync mark-checked';
    lines.push(`last stop    ${how} ${new Date(down.atMs).toISOString()}: ${down.reason}; ${review}`);
  }
  const w = st.witness;
  if (w) {
    const holder = w.holderRole ? `key held by the ${w.holderRole} at epoch ${w.holderEpoch}` : 'key free';
    const lease = w.mine ? `, this server's lease ${(w.leaseLeftMs / 1000).toFixed(1)} s left` : '';
    const fenced = w.selfFenced
      ? '; FENCED: cut off from the peer and the witness, managed system stopped'
      : '';
    lines.push(
      w.reachable
        ? `witness      reachable, ${holder}${lease}${fenced}`
        : `witness      UNREACHABLE: ${w.detail}; no switch until it is back${fenced}`,
    );
  }
  for (const f of st.folders ?? []) lines.push(folderLine(f, now));
  const d = st.database;
  if (d && d.engine !== 'none') {
    const reinit = d.reinit?.active ? `, reinitialising ${d.reinit.rowsDone}/${d.reinit.rowsTotal} rows` : '';
    lines.push(
      `database     ${d.engine} ${d.phase}, lag ${d.lagMs} ms, ${d.rowsPending} row(s) pending${reinit}${d.lastError ? `; ${d.lastError}` : ''}`,
    );
  }
  return lines.join('\n');
}
