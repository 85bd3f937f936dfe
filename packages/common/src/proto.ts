// Loads the wire contract (proto/sparesync.proto) once. Both the agent (server) and every client use
// this. The proto travels inside the package as generated/sparesync-descriptor.ts (`pnpm gen:wire`
// writes it, `pnpm lint` checks it is current), so an installed package needs no .proto file.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { sparesyncDescriptor } from './generated/sparesync-descriptor';

/** The options the generated types assume (scripts/gen-wire.js passes the same ones). */
const loaderOptions: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

let cached: grpc.GrpcObject | undefined;

export function loadSparesyncPackage(): grpc.GrpcObject {
  if (!cached) {
    const json = sparesyncDescriptor as Parameters<typeof protoLoader.fromJSON>[0];
    const root = grpc.loadPackageDefinition(protoLoader.fromJSON(json, loaderOptions));
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
