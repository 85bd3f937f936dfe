// Original file: proto/sparesync.proto


export interface DbInstallScriptsRequest {
}

export interface DbInstallScriptsRequest__Output {
}
