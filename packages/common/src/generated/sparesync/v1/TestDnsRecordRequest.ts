// Original file: proto/sparesync.proto


export interface TestDnsRecordRequest {
}

export interface TestDnsRecordRequest__Output {
}
