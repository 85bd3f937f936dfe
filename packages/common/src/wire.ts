// The wire types by message name, taken from the types generated from proto/sparesync.proto
// (generated/, `pnpm gen:wire`). Each module that owns a part of the wire names its messages with
// these: the Control messages and Status in control-wire.ts, the Link frames in the agent's link/,
// the Files and Rows frames in its files/ and db/part/. Nothing here re-declares a message.
import type { MessageTypeDefinition } from '@grpc/proto-loader';
import type { ProtoGrpcType } from './generated/sparesync';

type Definitions = ProtoGrpcType['sparesync']['v1'];

/** The name of a message of package sparesync.v1 (services left out). */
export type WireMessageName = {
  [N in keyof Definitions]: Definitions[N] extends MessageTypeDefinition<object, object> ? N : never;
}[keyof Definitions];

/**
 * A message as it arrives (the loader fills in defaults): every scalar and repeated field is
 * present, an unset message field is null, 64-bit integers are numbers, bytes a Buffer. A sender
 * that builds this shape sends every field on purpose.
 */
export type WireMessage<N extends WireMessageName> =
  Definitions[N] extends MessageTypeDefinition<object, infer Output> ? Output : never;

/** What may be written as message N: every field optional, bytes and integers in any accepted form. */
export type WireInput<N extends WireMessageName> =
  Definitions[N] extends MessageTypeDefinition<infer Input, object> ? Input : never;

/**
 * A message with a oneof `body` as it arrives (`oneofs: true` names the member set in `body`):
 * one variant per member, narrowed by `body`, with that member present, and one without `body`
 * for a frame that sets no member (a peer may send one; the receiver must refuse or skip it).
 */
export type OneofMessage<T extends { body?: string }> =
  | {
      [B in NonNullable<T['body']> & keyof T]: T & { body: B } & { [P in B]-?: NonNullable<T[P]> };
    }[NonNullable<T['body']> & keyof T]
  | (T & { body?: undefined });
