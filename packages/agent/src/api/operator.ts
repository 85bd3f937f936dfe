// Operator commands (guide §7.3.2) as requests to the state machine: they are fed to the runner
// as observations and the machine decides (Patroni: commands are recorded as requests the loop
// acts on, never executed behind its back). The reply reports the machine's decision. Turning
// SpareSync off or on acts on the pair: the request is forwarded to the peer over the Link.
import type * as grpc from '@grpc/grpc-js';
import {
  SpareSyncError,
  type Logger,
  type OperatorReply,
  type Role,
  type ServerResult,
} from '@sparesync/common';
import { describeState, holderOf, undoTargetOf, type MachineState, type Observation } from '../state';
import { callPeer } from '../link/peer-call';

export interface OperatorOptions {
  machine: { feed(o: Observation): void; readonly state: MachineState; readonly decision: string };
  role: Role;
  name: string;
  peer: () => grpc.Client | undefined;
  log: Logger;
  /** Stops the agent and exits with RESTART_EXIT_CODE (called after the reply is sent). */
  restart: () => void;
}

export class Operator {
  constructor(private readonly o: OperatorOptions) {}

  /** Feeds OperatorTurnedOn/Off to this server's machine; used for local and forwarded requests. */
  turnHere(on: boolean, from: string): ServerResult {
    this.o.log.info(`${on ? 'turn on' : 'turn off'} requested by ${from}`);
    this.o.machine.feed({ type: on ? 'OperatorTurnedOn' : 'OperatorTurnedOff' });
    const st = this.o.machine.state;
    const done = on ? st.name !== 'TurnedOff' && st.name !== 'ConfigurationError' : st.name === 'TurnedOff';
    return this.result(done, this.o.machine.decision);
  }

  async turn(on: boolean, thisServerOnly: boolean): Promise<OperatorReply> {
    const here = this.turnHere(on, 'an operator');
    const servers = [here];
    if (!thisServerOnly) {
      const r = await callPeer<ServerResult>(this.o.peer(), 'peerTurn', { on, fromName: this.o.name });
      servers.push(
        r.ok
          ? r.reply
          : { role: other(this.o.role), name: '', reached: false, done: false, state: '', detail: r.detail },
      );
    }
    const verb = on ? 'turned on' : 'turned off';
    const accepted = servers.every((s) => s.done);
    const peer = servers[1];
    const message = !here.done
      ? `not ${verb}: ${here.detail}`
      : !peer
        ? `${verb} on this server only (the ${other(this.o.role)} was not asked)`
        : !peer.reached
          ? `${verb} on this server only: the ${peer.role} was not reached (${peer.detail}); turn it ${on ? 'on' : 'off'} there too when it is back`
          : !peer.done
            ? `${verb} on this server, but not on the ${peer.role}: ${peer.detail}`
            : `${verb} on both servers`;
    return { accepted, message, servers, switchId: '' };
  }

  /** Feeds the request to the machine; the reply is its decision and the attempt that runs. */
  requestSwitch(asked: string): OperatorReply {
    if (asked !== 'primary' && asked !== 'secondary' && asked !== 'undo') {
      throw new SpareSyncError(
        'InvalidArgument',
        `switch to "${asked}": expected primary, secondary or undo`,
      );
    }
    const before = this.o.machine.state;
    const to = asked === 'undo' ? undoTargetOf(before) : asked;
    this.o.log.info(
      `${asked === 'undo' ? 'undo of the switch' : `switch to the ${asked}`} requested by an operator`,
    );
    this.o.machine.feed({ type: 'OperatorRequestedSwitch', to: asked });
    const st = this.o.machine.state;
    const switching = st.name === 'SwitchingToPrimary' || st.name === 'SwitchingToSecondary';
    const target = to === 'primary' ? 'SwitchingToPrimary' : 'SwitchingToSecondary';
    // A request for the switch in the same direction as a halted one retries it: a new attempt.
    const running = switching && st.name === target;
    // An undo before the epoch moved ends the switch without starting another.
    const cancelled =
      to !== undefined && !switching && holderOf(st.facts.epoch) === to && st.name !== 'TurnedOff';
    const accepted = to !== undefined && (running || cancelled);
    const decision = this.o.machine.decision;
    return {
      accepted,
      message: accepted ? decision : `refused: ${decision}`,
      servers: [this.result(accepted, decision)],
      switchId: running ? st.progress.id : '',
    };
  }

  restart(): OperatorReply {
    this.o.log.info('restart requested by an operator');
    setTimeout(() => this.o.restart(), 100).unref();
    return {
      accepted: true,
      message:
        'restarting: the agent stops now and exits with code 75; its service manager starts it again (without one it stays stopped)',
      servers: [this.result(true, 'restarting')],
      switchId: '',
    };
  }

  private result(done: boolean, detail: string): ServerResult {
    return {
      role: this.o.role,
      name: this.o.name,
      reached: true,
      done,
      state: describeState(this.o.machine.state).name,
      detail,
    };
  }
}

const other = (r: Role): Role => (r === 'primary' ? 'secondary' : 'primary');
