// Original file: proto/sparesync.proto


export interface RemovePath {
  'path'?: (string);
}

export interface RemovePath__Output {
  'path': (string);
}
