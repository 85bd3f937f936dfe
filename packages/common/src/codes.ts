// Message codes of the guide (§9) with their default delay and repeat period in seconds.
// repeatSeconds 0 means the message is sent once.

export const messageCodes = {
  MissingConnection: {
    description: 'Lost contact with remote server',
    delaySeconds: 60,
    repeatSeconds: 28800,
  },
  FileSyncProblemWarn: {
    description: 'Not critical error occurred during files synchronization',
    delaySeconds: 60,
    repeatSeconds: 14400,
  },
  FileSyncProblemFatal: {
    description: 'Fatal error occurred during files synchronization',
    delaySeconds: 10,
    repeatSeconds: 86400,
  },
  TurnedOff: { description: 'SpareSync turned off', delaySeconds: 1, repeatSeconds: 0 },
  TurnedOn: { description: 'SpareSync turned on', delaySeconds: 1, repeatSeconds: 0 },
  ConfigurationError: {
    description: 'Critical error occurred during SpareSync operation',
    delaySeconds: 1,
    repeatSeconds: 43200,
  },
  MainAppInvisible: {
    description: 'Managed system is not available',
    delaySeconds: 120,
    repeatSeconds: 86400,
  },
  MainAppVisible: { description: 'Managed system became available', delaySeconds: 1, repeatSeconds: 0 },
  SwitchedSuccessfully: {
    description: 'SpareSync successfully switched managed system',
    delaySeconds: 1,
    repeatSeconds: 0,
  },
  SwitchedFailed: {
    description: 'SpareSync was unable to switch managed system',
    delaySeconds: 0,
    repeatSeconds: 0,
  },
  DbSyncProblemWarn: {
    description: 'Not critical error occurred during database synchronization',
    delaySeconds: 60,
    repeatSeconds: 14400,
  },
  DbSyncProblemFatal: {
    description: 'Fatal error occurred during database synchronization',
    delaySeconds: 10,
    repeatSeconds: 86400,
  },
  DbSyncReInitRequired: {
    description: 'Database reinitialization is required',
    delaySeconds: 1,
    repeatSeconds: 0,
  },
  SwitchOnMainAppUnavailable: {
    description:
      'Managed system is not available on the primary server, but the SpareSync servers are connected; switching to the secondary',
    delaySeconds: 1,
    repeatSeconds: 0,
  },
  OtherStoppedNotify: {
    description: 'Remote SpareSync was shut down; no switch will be made',
    delaySeconds: 60,
    repeatSeconds: 3600,
  },
  FencedSystemRunning: {
    description:
      'The managed system was found running on the server that does not hold it; SpareSync stopped it again',
    delaySeconds: 0,
    repeatSeconds: 0,
  },
  HttpServerNotStarted: {
    description: 'The administrative interface could not start',
    delaySeconds: 0,
    repeatSeconds: 86400,
  },
  LinkServerNotStarted: {
    description: 'The link between servers could not start',
    delaySeconds: 0,
    repeatSeconds: 86400,
  },
  ExternalResourcesInvisible: {
    description: 'External resources are not available',
    delaySeconds: 60,
    repeatSeconds: 43200,
  },
  WitnessUnreachable: {
    description: 'The witness (etcd) cannot be reached; no switch will be made until it is back',
    delaySeconds: 10,
    repeatSeconds: 3600,
  },
  WitnessFenced: {
    description:
      'Cut off from the other server and from the witness, this server stopped its managed system before its lease could expire',
    delaySeconds: 0,
    repeatSeconds: 0,
  },
} as const;

export type MessageCode = keyof typeof messageCodes;
