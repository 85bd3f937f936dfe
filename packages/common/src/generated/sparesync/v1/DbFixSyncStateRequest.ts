// Original file: proto/sparesync.proto


export interface DbFixSyncStateRequest {
}

export interface DbFixSyncStateRequest__Output {
}
