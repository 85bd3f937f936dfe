// The adapter's own state in sparesync.state: `applied` (the secondary's position, written with
// each batch) and `trimmed` (triggers capture: the change log holds nothing before it).
import type { ClientBase } from 'pg';

/** One value; `lock` holds the row until the transaction ends (serialises appliers). */
export async function readState(c: ClientBase, key: string, lock = false): Promise<string | undefined> {
  const res = await c.query<{ value: string }>(
    `SELECT value FROM sparesync.state WHERE key = $1${lock ? ' FOR UPDATE' : ''}`,
    [key],
  );
  return res.rows[0]?.value;
}

export async function writeState(c: ClientBase, key: string, value: string): Promise<void> {
  await c.query(
    'INSERT INTO sparesync.state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value',
    [key, value],
  );
}
