// The `database` section of sparesync.json (guide §11.2, §11.3): which database this agent
// replicates, which tables, and how reinitialisation behaves. Imported by schema.ts.

export const databaseSection = {
  type: 'object',
  additionalProperties: false,
  default: {},
  description:
    "Database replication (guide §11.2): the primary's tracked tables are copied row by row to the secondary's database.",
  properties: {
    engine: {
      type: 'string',
      enum: ['none', 'sqlite', 'postgres', 'mssql'],
      default: 'none',
      description: 'Database engine; none disables database replication.',
      'x-critical': true,
      'x-restartRequired': true,
    },
    connectionString: {
      type: 'string',
      default: '',
      description:
        "PostgreSQL or SQL Server connection string of this server's database, without the password (postgres://user@host:5432/db, or Server=host;Database=db;User Id=user). Empty for PostgreSQL: the PG* environment variables are used.",
      'x-critical': true,
      'x-restartRequired': true,
      'x-local': true,
    },
    file: {
      type: 'string',
      default: '',
      description: "SQLite: this server's database file. Relative paths are relative to the settings file.",
      'x-critical': true,
      'x-restartRequired': true,
      'x-local': true,
    },
    passwordFile: {
      type: 'string',
      default: '',
      description:
        'File holding the database password on its first line (mode 0600); the password never goes into this settings file. PostgreSQL also honours PGPASSWORD and PGPASSFILE.',
      'x-restartRequired': true,
      'x-local': true,
    },
    tables: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description:
        'Which tables are replicated. Patterns use * and ?; a pattern with a dot matches schema.table, one without matches the table name. Every replicated table needs a primary key.',
      properties: {
        include: {
          type: 'array',
          default: ['*'],
          items: { type: 'string', minLength: 1 },
          description: 'Tables replicated (default: all).',
        },
        exclude: {
          type: 'array',
          default: [],
          items: { type: 'string', minLength: 1 },
          description: 'Tables never replicated, even when included.',
        },
      },
    },
    capture: {
      type: 'string',
      enum: ['auto', 'triggers', 'logical'],
      default: 'triggers',
      description:
        'PostgreSQL: how changes are captured. logical: from a logical replication slot (pgoutput) the agent creates on the sending side and drops when it stops sending; needs wal_level=logical, no triggers on the tables. triggers: per-table triggers and a change log. auto: logical when the server has wal_level=logical, else triggers. Changing it reinitialises the secondary. logical and auto are new (opt-in): a switch back under logical capture reinitialises the primary.',
      'x-restartRequired': true,
    },
    maxSlotWalMiB: {
      type: 'integer',
      minimum: 16,
      default: 10240,
      description:
        'PostgreSQL logical capture: the most WAL the replication slot may retain while the secondary is behind or away (MiB). Beyond it the agent drops the slot (DbSyncReInitRequired) so the disk does not fill; the secondary is reinitialised when it is back. Set max_slot_wal_keep_size as well for a server-side cap.',
    },
    installOnFirstStart: {
      type: 'boolean',
      default: true,
      description:
        'Install the change-capture scripts when the agent first starts with this database (guide §11.2 "install scripts"); off: run `sparesync db install-scripts` yourself.',
    },
    reinitOnError: {
      type: 'boolean',
      default: true,
      description:
        'Start reinitialisation in case of error. Off: SpareSync turns off with DbSyncReInitRequired and reinitialisation waits for the operator.',
    },
    backup: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description:
        'Reinitialisation through a backup copy (guide §11.2, §11.3): where backup files are written and read on this server.',
      'x-local': true,
      properties: {
        folder: {
          type: 'string',
          default: '',
          description:
            "Folder for backup files as this server's database server sees it (empty: the agent's data folder). PostgreSQL and SQLite backups are written by the agent itself.",
        },
        separateServer: {
          type: 'boolean',
          default: false,
          description:
            'The database runs on another machine than this agent, so the agent reaches the backup folder by another path.',
        },
        agentFolder: {
          type: 'string',
          default: '',
          description:
            'With separateServer: the same backup folder as this agent reaches it (e.g. a mounted share).',
        },
      },
    },
  },
} as const;
