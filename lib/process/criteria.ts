import type { Deal } from '../domain/deal';
import type { ExitCriterion, Playbook, Stage } from '../domain/playbook';
import type { Clock } from './clock';
import { groupHolds, NO_ACTIVITY, type DealActivity } from './conditions';

/**
 * A criterion with a fact holds when the fact is answered (a yes/no fact: answered yes; text: not blank);
 * one with a condition when the condition holds; one with both when both do.
 */
export function criterionMet(
  c: ExitCriterion,
  deal: Deal,
  playbook: Playbook,
  clock: Clock,
  activity: DealActivity = NO_ACTIVITY,
): boolean {
  if (c.factKey !== undefined) {
    const f = deal.facts[c.factKey];
    if (!f) return false;
    if (f.type === 'yes_no' && !f.value) return false;
    if ((f.type === 'text' || f.type === 'choice' || f.type === 'contact') && !f.value.trim()) return false;
  }
  return c.when ? groupHolds(c.when, { deal, activity, playbook, clock }) : true;
}

export function unmetCriteria(
  stage: Stage,
  deal: Deal,
  playbook: Playbook,
  clock: Clock,
  activity?: DealActivity,
): ExitCriterion[] {
  return stage.exitCriteria.filter((c) => !criterionMet(c, deal, playbook, clock, activity));
}

/** The checklist the panel shows: every criterion of the stage, met or not, in order. */
export function checklist(
  stage: Stage,
  deal: Deal,
  playbook: Playbook,
  clock: Clock,
  activity?: DealActivity,
): { criterion: ExitCriterion; met: boolean }[] {
  return stage.exitCriteria.map((criterion) => ({
    criterion,
    met: criterionMet(criterion, deal, playbook, clock, activity),
  }));
}
