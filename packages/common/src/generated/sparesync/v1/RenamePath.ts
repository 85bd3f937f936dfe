// Original file: proto/sparesync.proto


export interface RenamePath {
  'from'?: (string);
  'to'?: (string);
}

export interface RenamePath__Output {
  'from': (string);
  'to': (string);
}
