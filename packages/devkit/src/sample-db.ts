// The demo's sample SQLite database (`pnpm demo`): a small table on both servers, with rows
// only on the primary, so the first reinitialisation and every later insert are visible.
import Database from 'better-sqlite3';

export function writeSampleDatabase(file: string, withRows: boolean): void {
  const db = new Database(file);
  try {
    db.exec(`CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT NOT NULL,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))`);
    const empty = (db.prepare('SELECT count(*) AS n FROM notes').get() as { n: number }).n === 0;
    if (withRows && empty) {
      const add = db.prepare('INSERT INTO notes (text) VALUES (?)');
      for (const t of ['Replicated by SpareSync', 'Add a row on the primary and watch the secondary'])
        add.run(t);
    }
  } finally {
    db.close();
  }
}
