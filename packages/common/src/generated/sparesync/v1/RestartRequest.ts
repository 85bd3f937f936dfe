// Original file: proto/sparesync.proto


export interface RestartRequest {
}

export interface RestartRequest__Output {
}
