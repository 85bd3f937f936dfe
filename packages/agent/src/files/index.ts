// Building blocks of file replication (issue 4): block delta, path safety, atomic apply, the
// .deleted archive, folder scans and manifest comparison. The sender, receiver and watcher use these.
export * from './names';
export * from './byte-source';
export * from './weak-checksum';
export * from './signature';
export * from './signature-codec';
export * from './delta';
export * from './apply-delta';
export * from './path-safety';
export * from './atomic-write';
export * from './deleted-archive';
export * from './glob';
export * from './scan';
export * from './manifest-diff';
