// Original file: proto/sparesync.proto


export interface GetIdentityRequest {
}

export interface GetIdentityRequest__Output {
}
