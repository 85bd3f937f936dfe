// Builds the adapter that sparesync.json's `database` section describes. Paths are resolved by
// the caller's `resolvePath` (relative to the settings file).
import { SpareSyncError, type Settings } from '@sparesync/common';
import type { DbAdapter } from './adapter';

/** The `database` settings; fields left out take the schema's defaults. */
export type DatabaseSettings = Partial<Settings['database']>;

export function createAdapter(
  db: DatabaseSettings,
  resolvePath: (p: string) => string = (p) => p,
): DbAdapter | null {
  const tables = { include: db.tables?.include ?? ['*'], exclude: db.tables?.exclude ?? [] };
  const passwordFile = db.passwordFile ? resolvePath(db.passwordFile) : undefined;
  switch (db.engine ?? 'none') {
    case 'none':
      return null;
    case 'sqlite': {
      if (!db.file)
        throw new SpareSyncError('ConfigInvalid', 'database.file is required when database.engine is sqlite');
      const { SqliteAdapter } =
        require('./sqlite/sqlite-adapter') as typeof import('./sqlite/sqlite-adapter');
      return new SqliteAdapter({ ...tables, file: resolvePath(db.file) });
    }
    case 'postgres': {
      const { PostgresAdapter } = require('./postgres/pg-adapter') as typeof import('./postgres/pg-adapter');
      return new PostgresAdapter({
        ...tables,
        connectionString: db.connectionString ?? '',
        ...(passwordFile ? { passwordFile } : {}),
        capture: db.capture ?? 'auto',
        maxSlotWalMiB: db.maxSlotWalMiB ?? 10240,
      });
    }
    case 'mssql': {
      if (!db.connectionString) {
        throw new SpareSyncError(
          'ConfigInvalid',
          'database.connectionString is required when database.engine is mssql',
        );
      }
      const { MssqlAdapter } = require('./mssql/mssql-adapter') as typeof import('./mssql/mssql-adapter');
      return new MssqlAdapter({
        ...tables,
        connectionString: db.connectionString,
        ...(passwordFile ? { passwordFile } : {}),
      });
    }
  }
}

/** Bytes per batch from network.maxReplicaSizeKiB (the setting is in KiB). */
export function maxBatchBytes(settings: { network: Pick<Settings['network'], 'maxReplicaSizeKiB'> }): number {
  return settings.network.maxReplicaSizeKiB * 1024;
}
