// Loads proto/sparesync.proto once. Both the agent (server) and every client use this.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { join } from 'node:path';

export const protoPath = join(__dirname, '..', '..', '..', 'proto', 'sparesync.proto');

let cached: grpc.GrpcObject | undefined;

export function loadSparesyncPackage(): grpc.GrpcObject {
  if (!cached) {
    const def = protoLoader.loadSync(protoPath, {
      keepCase: false,
      longs: Number,
      enums: String,
      defaults: true,
      oneofs: true,
    });
    const root = grpc.loadPackageDefinition(def);
    cached = (root.sparesync as grpc.GrpcObject).v1 as grpc.GrpcObject;
  }
  return cached;
}

export function serviceDefinition(name: 'Link' | 'Control'): grpc.ServiceDefinition {
  return (loadSparesyncPackage()[name] as grpc.ServiceClientConstructor).service;
}

export function serviceClient(name: 'Link' | 'Control'): grpc.ServiceClientConstructor {
  return loadSparesyncPackage()[name] as grpc.ServiceClientConstructor;
}
