// A stop that cannot end must not leave a process that neither serves nor exits: the agent's stop
// runs its steps under a deadline and, past it, rejects naming the step it hangs in, so the
// process exits non-zero with that name in its log (systemd would otherwise kill it silently
// after TimeoutStopSec).

/** How long the agent's stop may take (systemd's TimeoutStopSec is 30 s: this comes first). */
export const STOP_DEADLINE_MS = 20_000;

/**
 * Runs `steps`, which tell `at` which step they are in; rejects after `deadlineMs` with
 * "stopping took longer than N s, still at: <step>" (`late` is told the same message first).
 */
export async function stopWithin(
  deadlineMs: number,
  steps: (at: (step: string) => void) => Promise<void>,
  late: (message: string) => void,
  first = 'the state machine',
): Promise<void> {
  let step = first;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const message = `stopping took longer than ${deadlineMs / 1000} s, still at: ${step}`;
      late(message);
      reject(new Error(message));
    }, deadlineMs);
  });
  try {
    await Promise.race([steps((s) => (step = s)), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
