import type { Deal } from '../domain/deal';
import type { ExitCriterion, Playbook, RecommendedAction, Stage } from '../domain/playbook';
import type { Clock } from './clock';
import type { DealActivity } from './conditions';
import { unmetCriteria } from './criteria';
import { stageOf, type Flag } from './evaluate';

export type NextStep =
  /** The remedy of the most severe flag that has one. */
  | { kind: 'fix'; label: string; flag: Flag; action: RecommendedAction }
  /** The first unmet exit criterion of the stage: answer it. */
  | { kind: 'criterion'; label: string; criterion: ExitCriterion }
  /** The stage's first recommended action not yet done in this stage. */
  | { kind: 'action'; label: string; action: RecommendedAction }
  | { kind: 'move'; label: string; toStageId: string }
  /** A closed deal, or a last stage with nowhere to go. */
  | { kind: 'none'; label: string };

/** The stage a deal goes to from `stageId` when it advances: the next open stage, else the first won stage. */
export function nextStageOf(playbook: Playbook, stageId: string): Stage | undefined {
  const i = playbook.stages.findIndex((s) => s.id === stageId);
  return (
    playbook.stages.slice(i + 1).find((s) => s.kind === 'open') ??
    playbook.stages.find((s) => s.kind === 'won')
  );
}

export interface NextStepInput {
  deal: Deal;
  playbook: Playbook;
  /** evaluate()'s flags for the deal, most severe first. */
  flags: readonly Flag[];
  clock: Clock;
  activity?: DealActivity;
  /** Ids of the stage's recommended actions already done since the deal entered the stage. */
  done?: ReadonlySet<string>;
}

/**
 * What the rep should do next on a deal, in this order: the remedy of its most severe flag; else the first
 * unmet exit criterion of its stage; else the stage's next recommended action; else "move to <next stage>".
 */
export function nextStep({ deal, playbook, flags, clock, activity, done }: NextStepInput): NextStep {
  const stage = stageOf(playbook, deal.stageId);
  if (!stage || stage.kind !== 'open' || deal.status !== 'open')
    return { kind: 'none', label: 'Nothing to do' };
  const fix = flags.find((f) => f.remedy);
  if (fix?.remedy) return { kind: 'fix', label: fix.remedy.label, flag: fix, action: fix.remedy };
  const [criterion] = unmetCriteria(stage, deal, playbook, clock, activity);
  if (criterion) return { kind: 'criterion', label: criterion.label, criterion };
  const action = stage.actions.find((a) => !done?.has(a.id));
  if (action) return { kind: 'action', label: action.label, action };
  const next = nextStageOf(playbook, stage.id);
  if (next) return { kind: 'move', label: `Move to ${next.name}`, toStageId: next.id };
  return { kind: 'none', label: 'Nothing to do' };
}
