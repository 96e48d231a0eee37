import type { Deal, DealEvent } from '../domain/deal';
import type { ExitCriterion, Playbook } from '../domain/playbook';
import type { Clock } from './clock';
import type { DealActivity } from './conditions';
import { unmetCriteria } from './criteria';

export type MoveOutcome =
  /** Every exit criterion on the way is met. */
  | 'clean'
  /** warn gate: allowed with criteria unmet, recorded as a skip. */
  | 'skipped'
  /** require gate passed by a manager with a reason. */
  | 'override'
  /** Back to an earlier stage, or out to a lost stage: no criteria apply. */
  | 'back'
  | 'lost';

export type MoveVerdict =
  | {
      allowed: true;
      outcome: MoveOutcome;
      fromStageId: string;
      toStageId: string;
      unmet: ExitCriterion[];
      reason?: string;
    }
  | {
      allowed: false;
      why:
        | 'unknown_stage'
        | 'same_stage'
        | 'criteria_unmet'
        | 'override_needs_manager'
        | 'override_needs_reason';
      message: string;
      unmet: ExitCriterion[];
    };

export interface MoveRequest {
  deal: Deal;
  playbook: Playbook;
  toStageId: string;
  clock: Clock;
  activity?: DealActivity;
  /** Past a require gate: only a manager, only with a reason. */
  override?: { reason: string; byManager: boolean };
}

/**
 * Whether a deal may move to a stage. Moving forward checks the exit criteria of the current stage and of
 * every open stage it jumps over; the pipeline's gate decides what unmet criteria do.
 */
export function checkStageMove({
  deal,
  playbook,
  toStageId,
  clock,
  activity,
  override,
}: MoveRequest): MoveVerdict {
  const from = playbook.stages.findIndex((s) => s.id === deal.stageId);
  const to = playbook.stages.findIndex((s) => s.id === toStageId);
  const target = playbook.stages[to];
  const refuse = (
    why: Extract<MoveVerdict, { allowed: false }>['why'],
    message: string,
    unmet: ExitCriterion[] = [],
  ) => ({ allowed: false, why, message, unmet }) as const;
  if (!target) return refuse('unknown_stage', `the pipeline has no stage "${toStageId}"`);
  if (to === from) return refuse('same_stage', `the deal is already in ${target.name}`);
  const allow = (outcome: MoveOutcome, unmet: ExitCriterion[] = [], reason?: string): MoveVerdict => ({
    allowed: true,
    outcome,
    fromStageId: deal.stageId,
    toStageId,
    unmet,
    ...(reason !== undefined && { reason }),
  });
  if (target.kind === 'lost') return allow('lost');
  if (from >= 0 && to < from) return allow('back');

  const crossed = playbook.stages.slice(Math.max(from, 0), to).filter((s) => s.kind === 'open');
  const unmet = crossed.flatMap((s) => unmetCriteria(s, deal, playbook, clock, activity));
  if (!unmet.length) return allow('clean');
  if (playbook.gate === 'warn') return allow('skipped', unmet);
  const named = unmet.map((c) => c.label).join('; ');
  if (!override) return refuse('criteria_unmet', `Not yet: ${named}`, unmet);
  if (!override.byManager)
    return refuse('override_needs_manager', `only a manager can move past: ${named}`, unmet);
  const reason = override.reason.trim();
  if (!reason) return refuse('override_needs_reason', 'an override needs a reason', unmet);
  return allow('override', unmet, reason);
}

/** The deal after an allowed move and the history rows that record it (ids deterministic in deal and time). */
export function applyStageMove(
  deal: Deal,
  verdict: Extract<MoveVerdict, { allowed: true }>,
  playbook: Playbook,
  at: number,
  by: string,
): { deal: Deal; events: DealEvent[] } {
  const target = playbook.stages.find((s) => s.id === verdict.toStageId);
  const status = target?.kind ?? 'open';
  const { closedAt: _closed, ...rest } = deal;
  const moved: Deal = {
    ...rest,
    stageId: verdict.toStageId,
    stageEnteredAt: at,
    status,
    updatedAt: at,
    ...(status !== 'open' && { closedAt: at }),
  };
  const base = { dealId: deal.id, at, by };
  const move = { fromStageId: verdict.fromStageId, toStageId: verdict.toStageId };
  const events: DealEvent[] = [{ ...base, id: `${deal.id}:stage:${at}`, kind: 'stage_changed', data: move }];
  const criterionIds = verdict.unmet.map((c) => c.id);
  if (verdict.outcome === 'skipped')
    events.push({
      ...base,
      id: `${deal.id}:skip:${at}`,
      kind: 'criteria_skipped',
      data: { stageId: verdict.fromStageId, toStageId: verdict.toStageId, criterionIds },
    });
  if (verdict.outcome === 'override')
    events.push({
      ...base,
      id: `${deal.id}:override:${at}`,
      kind: 'override',
      data: {
        stageId: verdict.fromStageId,
        toStageId: verdict.toStageId,
        criterionIds,
        reason: verdict.reason ?? '',
      },
    });
  return { deal: moved, events };
}
