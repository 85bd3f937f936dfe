// The fence every replication receiver checks on each frame of its streams (Files, Rows) before it
// handles the frame. A frame from an epoch lower than this agent's ends the stream with
// FAILED_PRECONDITION: a returning old primary never overwrites the side that took over (its
// sender reads the status as EpochFenced). A frame arriving while this agent does not receive
// (it sends itself, or replication is off) ends it with UNAVAILABLE: the sender tries again once
// the direction has settled. The epoch is checked first, so a fenced sender learns it is fenced.
import * as grpc from '@grpc/grpc-js';

/** The status a refused stream ends with. */
export interface StreamRefusal {
  code: grpc.status;
  details: string;
}

export interface ReceiverFence {
  /** This agent's epoch now. */
  epoch: number;
  /** This agent receives this kind of data now. */
  receiving: boolean;
}

/** Why a frame of `what` ("file frames", "database rows") must end its stream; null: handle it. */
export function fenceRefusal(what: string, frameEpoch: number, fence: ReceiverFence): StreamRefusal | null {
  if (frameEpoch < fence.epoch) {
    return {
      code: grpc.status.FAILED_PRECONDITION,
      details: `${what} from epoch ${frameEpoch} refused: this agent is at epoch ${fence.epoch}`,
    };
  }
  if (!fence.receiving) {
    return { code: grpc.status.UNAVAILABLE, details: `this agent does not receive ${what} now` };
  }
  return null;
}
