// Original file: proto/sparesync.proto


export interface GetStatusRequest {
}

export interface GetStatusRequest__Output {
}
