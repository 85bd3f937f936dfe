// The receiver's list read against this side's scan (issue 16). The sender kept the receiver's
// view as this side's scan plus the paths where the receiver differs (ManifestOverlay), but built
// it by unpacking the whole list into a store of its own, comparing the two stores and sharing
// their equal entries: three passes over 100,000 entries, after this side's scan, on a thread that
// is busy for the whole rescan. Here each listed entry is compared with the scan as it is
// unpacked, and only those that differ are kept.
import { STEP_ENTRIES, type Steps } from './loop-slice';
import { entryFromWire, type FileEntryWire } from './frames';
import { unpackInto } from './manifest-codec';
import { reasonsAt } from './manifest-diff';
import { ManifestOverlay } from './manifest-overlay';
import type { ManifestStore } from './manifest-store';
import type { EntrySink, ManifestEntry } from './entry';

/** The receiver's answer to a list request, as it arrived: packed parts, or entries (a receiver
 * that does not pack). */
export interface Listing {
  parts: Uint8Array[];
  entries: FileEntryWire[];
}

/**
 * The receiver's manifest as `local` (this side's scan, which no one writes to any more) and the
 * paths where the receiver differs by diffManifests' rules (`mtimeWindowMs` as there): its entry
 * where it has a path differently or alone, a deletion where it lacks one of `local`'s. The
 * comparison of `local` with it finds exactly the differences it would find with the whole list.
 */
export function* remoteView(
  local: ManifestStore,
  listing: Listing,
  mtimeWindowMs = 1,
): Steps<ManifestOverlay> {
  const view = new ManifestOverlay(local);
  const seen = new Uint8Array(local.slotCount);
  let matched = 0;
  // A listing holds each path once (a scan's), so a path equal to this side's needs nothing here.
  // Both sides list in the same order: each path is first compared with the slot after the last
  // one found (no hashing, no lookup in the table when the trees hold the same paths).
  let next = 0;
  const sink: EntrySink = (path, type, size, mtimeMs, mode, _ino, linkTarget) => {
    const s = local.pathAt(next) === path ? next : local.slotOf(path);
    if (s >= 0) {
      next = s + 1;
      if (seen[s] === 0) matched++;
      seen[s] = 1;
      if (!reasonsAt(local, s, type, size, mtimeMs, mode, linkTarget, mtimeWindowMs)) return;
    }
    const e: ManifestEntry = { path, type, size, mtimeMs, mode };
    if (linkTarget !== undefined) e.linkTarget = linkTarget;
    view.set(path, e);
  };
  for (const part of listing.parts) {
    unpackInto(part, sink);
    yield; // a part holds a few thousand entries
  }
  for (let i = 0; i < listing.entries.length; i++) {
    const e = entryFromWire(listing.entries[i]!);
    sink(e.path, e.type, e.size, e.mtimeMs, e.mode, NaN, e.linkTarget);
    if ((i + 1) % STEP_ENTRIES === 0) yield;
  }
  if (matched === local.size) return view;
  for (let s = 0, n = local.slotCount; s < n; s++) {
    if ((s + 1) % STEP_ENTRIES === 0) yield;
    const path = local.pathAt(s);
    if (path !== undefined && seen[s] === 0) view.delete(path);
  }
  return view;
}
