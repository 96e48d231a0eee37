import type { AnalyticsCatalog } from '../../../lib/options-ports/interfaces/analytics';
import { S } from './strings';

/** A step's kind as the builder names it; an unknown kind as it is. */
export const stepKind = (kind: string): string => (S.stepKinds as Record<string, string>)[kind] ?? kind;

export interface Labels {
  sequence: (id: string) => string;
  /** "Step 2 · Call": numbered from 1, as the builder shows steps. */
  step: (sequenceId: string, stepIndex: number) => string;
  rep: (mailbox: string) => string;
}

/** Names for the ids in the numbers: a sequence deleted since shows its id, a rep without a name their address. */
export function labelsOf(catalog: AnalyticsCatalog): Labels {
  const sequences = new Map(catalog.sequences.map((s) => [s.id, s]));
  const reps = new Map(catalog.reps.map((r) => [r.mailbox, r.name]));
  return {
    sequence: (id) => sequences.get(id)?.name ?? (id || '—'),
    step: (sequenceId, stepIndex) => {
      const kind = sequences.get(sequenceId)?.steps[stepIndex];
      return kind ? `${S.stepN(stepIndex + 1)} · ${stepKind(kind)}` : S.stepN(stepIndex + 1);
    },
    rep: (mailbox) => reps.get(mailbox) || mailbox || '—',
  };
}
