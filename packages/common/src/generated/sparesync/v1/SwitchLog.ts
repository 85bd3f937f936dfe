// Original file: proto/sparesync.proto

import type { SwitchStep as _sparesync_v1_SwitchStep, SwitchStep__Output as _sparesync_v1_SwitchStep__Output } from '../../sparesync/v1/SwitchStep';
import type { SwitchPhase as _sparesync_v1_SwitchPhase, SwitchPhase__Output as _sparesync_v1_SwitchPhase__Output } from '../../sparesync/v1/SwitchPhase';
import type { Long } from '@grpc/proto-loader';

/**
 * A switch as steps with a result each (guide §10.1.4): what was done, and where it stopped.
 */
export interface SwitchLog {
  /**
   * One attempt: a retry of a halted switch is a new attempt with its own id, start and steps.
   * "SwitchingToSecondary" or "SwitchingToPrimary".
   */
  'kind'?: (string);
  /**
   * "criteria" (the automatic switch), "operator" or "resume" (finishing after a restart).
   */
  'requestedBy'?: (string);
  /**
   * Why the switch started.
   */
  'why'?: (string);
  'startedAtMs'?: (number | string | Long);
  /**
   * Finished steps in order.
   */
  'steps'?: (_sparesync_v1_SwitchStep)[];
  /**
   * "running", "waiting" (a failed step is retried at retry_at_ms), "halted" (needs the operator),
   * "completed" (the new side serves: its test page answered), "cancelled" (ended by the re-check
   * or by the operator, e.g. an undo) or "abandoned" (left without completing: turned off, the
   * agent stopped).
   */
  'phase'?: (string);
  /**
   * The step running, waiting or halted (empty when completed).
   */
  'currentStep'?: (string);
  /**
   * The last error of the current step.
   */
  'error'?: (string);
  'retryAtMs'?: (number | string | Long);
  'endedAtMs'?: (number | string | Long);
  'id'?: (string);
  /**
   * phase as an enum (see the top of this file). Numbered from 100 so that fields added to
   * SwitchLog by other work keep the low numbers.
   */
  'phaseCode'?: (_sparesync_v1_SwitchPhase);
}

/**
 * A switch as steps with a result each (guide §10.1.4): what was done, and where it stopped.
 */
export interface SwitchLog__Output {
  /**
   * One attempt: a retry of a halted switch is a new attempt with its own id, start and steps.
   * "SwitchingToSecondary" or "SwitchingToPrimary".
   */
  'kind': (string);
  /**
   * "criteria" (the automatic switch), "operator" or "resume" (finishing after a restart).
   */
  'requestedBy': (string);
  /**
   * Why the switch started.
   */
  'why': (string);
  'startedAtMs': (number);
  /**
   * Finished steps in order.
   */
  'steps': (_sparesync_v1_SwitchStep__Output)[];
  /**
   * "running", "waiting" (a failed step is retried at retry_at_ms), "halted" (needs the operator),
   * "completed" (the new side serves: its test page answered), "cancelled" (ended by the re-check
   * or by the operator, e.g. an undo) or "abandoned" (left without completing: turned off, the
   * agent stopped).
   */
  'phase': (string);
  /**
   * The step running, waiting or halted (empty when completed).
   */
  'currentStep': (string);
  /**
   * The last error of the current step.
   */
  'error': (string);
  'retryAtMs': (number);
  'endedAtMs': (number);
  'id': (string);
  /**
   * phase as an enum (see the top of this file). Numbered from 100 so that fields added to
   * SwitchLog by other work keep the low numbers.
   */
  'phaseCode': (_sparesync_v1_SwitchPhase__Output);
}
