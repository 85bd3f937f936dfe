// Original file: proto/sparesync.proto


export interface MarkShutdownCheckedRequest {
}

export interface MarkShutdownCheckedRequest__Output {
}
