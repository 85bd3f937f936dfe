export { Agent } from './agent';
export { channelOptions, serverCredentials, serverOptions } from './link/credentials';
export { queryAddress } from './dns/client';
export { writeSampleDatabase } from './db/sample';
