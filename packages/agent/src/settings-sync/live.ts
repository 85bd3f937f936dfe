// Which settings a change can take effect on at once. The agent's parts that read these read them
// from the one settings object on every use (the state machine's system and maintenance windows,
// the managed system's commands and marker, the probes), so updating that object in place is
// enough. Every other setting is copied somewhere at start (the heartbeat interval into the link
// sessions, the DNS target, the folders into the file part, ...) and takes effect after a
// restart, whether or not the schema marks it x-restartRequired.
const livePrefixes = [
  '/system',
  '/maintenanceWindows',
  '/managedSystem',
  '/externalResources',
  '/externalResourcesTimeoutSeconds',
  '/notifications',
];

export function isLive(pointer: string): boolean {
  return livePrefixes.some((p) => pointer === p || pointer.startsWith(p + '/'));
}
