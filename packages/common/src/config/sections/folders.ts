// The `folders` section of sparesync.json (guide §11.1): the folder pairs replicated one way, from
// the serving server to the other, and how each is compared, archived and transferred. Delay before
// sending changes, block size, parallel transfers and compression are network template settings
// (network.sendDelaySeconds, blockSizeBytes, maxConnections, compression). Imported by schema.ts.

export const foldersSection = {
  type: 'array',
  default: [],
  description:
    'Folder pairs to replicate (guide §11.1), each with its own path on each server. Files go one way, from the server that runs the managed system to the other; what exists only on the receiving side is removed (into .deleted).',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'primaryPath', 'secondaryPath'],
    properties: {
      name: {
        type: 'string',
        pattern: '^[A-Za-z0-9._-]+$',
        description:
          'Folder pair name: names the pair on the wire, in status and under .deleted/ (letters, digits, . _ -).',
      },
      primaryPath: {
        type: 'string',
        minLength: 1,
        description: 'The folder on the primary. Relative paths are relative to the settings file.',
        'x-critical': true,
      },
      secondaryPath: {
        type: 'string',
        minLength: 1,
        description: 'The folder on the secondary. Relative paths are relative to the settings file.',
        'x-critical': true,
      },
      exclude: {
        type: 'array',
        default: [],
        items: { type: 'string', minLength: 1 },
        description:
          'Glob patterns (*, **, ?, [..]) of paths not replicated, relative to the folder; a pattern without a slash matches a name at any depth, a trailing slash matches directories only. Excluded paths are left alone on both sides.',
      },
      scanIntervalSeconds: {
        type: 'number',
        minimum: 0,
        default: 600,
        description:
          'Interval of the full comparison of both sides in seconds (guide §11.1.2), which also reverts changes made on the receiving side (§11.1.4); 0 compares only at start-up and after every reconnect.',
      },
      watch: {
        type: 'boolean',
        default: true,
        description:
          'Send changes in real time (file system notifications, coalesced for network.sendDelaySeconds); off: only the full comparisons replicate.',
      },
      symlinks: {
        type: 'string',
        enum: ['keep', 'skip'],
        default: 'keep',
        description:
          'Symbolic links are replicated as links (keep) or left out (skip); they are never followed.',
      },
      keepDeleted: {
        type: 'boolean',
        default: true,
        description:
          'Move files deleted or overwritten on the receiving side into <folder>/.deleted/<name>/ instead of discarding them (guide §11.1).',
      },
      deletedRetentionDays: {
        type: 'number',
        minimum: 0,
        default: 7,
        description: 'Days an entry stays in .deleted before it is removed; 0 keeps entries forever.',
      },
    },
  },
} as const;
