// Overlaps reading with sending: while the receiver applies one snapshot chunk (stop and wait),
// the reader fills the next, instead of both sides taking turns idling.
/** Yields the items of `items`, reading the next one while the caller works on the current one. */
export async function* readAhead<T>(items: AsyncIterable<T>): AsyncGenerator<T> {
  const it = items[Symbol.asyncIterator]();
  let next = it.next();
  try {
    for (;;) {
      const r = await next;
      if (r.done) return;
      next = it.next();
      next.catch(() => {}); // seen by the next await, or dropped when the caller gave up
      yield r.value;
    }
  } finally {
    // The caller stopped early: let the source release what it holds (the snapshot transaction).
    await next.then(
      (r) => (r.done ? undefined : it.return?.()),
      () => undefined,
    );
  }
}
