// Weekly maintenance windows (guide §5, settings.maintenanceWindows), in the servers' local time.
// A window is [start, end): start inclusive, end exclusive. When end ≤ start the window crosses
// midnight and its tail belongs to the day after each listed day (end = start: a full 24 hours).
import type { DecisionSettings } from './types';

export type MaintenanceWindow = DecisionSettings['maintenanceWindows'][number];

const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const MINUTE = 60_000;

/** The first window containing `now` (ms since the Unix epoch) at the given UTC offset, if any. */
export function activeMaintenanceWindow(
  windows: readonly MaintenanceWindow[],
  now: number,
  utcOffsetMinutes: number,
): MaintenanceWindow | undefined {
  // Shifting the instant by the offset and reading it as UTC gives the local wall clock, with no
  // dependence on the process's own time zone.
  const local = new Date(now + utcOffsetMinutes * MINUTE);
  const day = local.getUTCDay();
  const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
  const today = weekdays[day] as string;
  const yesterday = weekdays[(day + 6) % 7] as string;
  return windows.find((w) => {
    const days: readonly string[] = w.days;
    const start = toMinutes(w.start);
    const end = toMinutes(w.end);
    if (start < end) return days.includes(today) && minute >= start && minute < end;
    return (days.includes(today) && minute >= start) || (days.includes(yesterday) && minute < end);
  });
}

export function describeWindow(w: MaintenanceWindow): string {
  return `${w.days.join(',')} ${w.start}–${w.end}`;
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}
