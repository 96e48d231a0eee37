import type { AttentionKind, PauseReason, UnenrollReason } from '../../lib/domain/enrollment';
import type { StepType } from '../../lib/domain/sequence';

/** Where one person of the thread stands, as the thread panel shows it. Steps are 0-based here. */
export type ParticipantState =
  | { kind: 'not_enrolled' }
  | {
      kind: 'active';
      enrollmentId: string;
      sequenceName: string;
      stepIndex: number;
      stepCount: number;
      stepType: StepType;
      /** When the next step happens; absent while the sequence waits for a task. */
      nextAt?: number;
      waitingForTask?: boolean;
    }
  | {
      kind: 'paused';
      enrollmentId: string;
      sequenceName: string;
      stepIndex: number;
      stepCount: number;
      stepType: StepType;
      reason: PauseReason;
      /** Out of office: the automatic resume. */
      until?: number;
      /** Needs attention: what the rep must fix, e.g. "Step 2: no value for {{contact.firstName}}". */
      detail?: string;
      /** Needs attention: what kind of thing, and the message to open when there is one. */
      attention?: {
        kind: AttentionKind;
        detail: string;
        providerMessageId?: string;
        from?: string;
        openUrl?: string;
      };
    }
  | { kind: 'finished'; enrollmentId: string; sequenceName: string; endedAt?: number }
  | {
      kind: 'unenrolled';
      enrollmentId: string;
      sequenceName: string;
      reason: UnenrollReason;
      endedAt?: number;
      detail?: string;
      /** The address is on the do-not-contact list (a bounce that suppressed it, an unsubscribe). */
      suppressed?: boolean;
    };

export interface Participant {
  name?: string;
  email: string;
  state: ParticipantState;
}

/**
 * Can this person be (re-)enrolled? Never after an unsubscribe or a bounce that put them on the do-not-contact
 * list; after a bounce that did not (a full mailbox, a policy refusal) the rep may try again.
 */
export function canEnroll(state: ParticipantState): boolean {
  if (state.kind === 'not_enrolled' || state.kind === 'finished') return true;
  if (state.kind === 'unenrolled') {
    if (state.reason === 'bounced') return state.suppressed === false;
    return state.reason !== 'unsubscribed';
  }
  return false;
}
