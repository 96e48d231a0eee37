import type { Deal, Severity } from '../domain/deal';
import type { Playbook, RecommendedAction, Rule, Stage } from '../domain/playbook';
import type { Clock } from './clock';
import { explain, groupHolds, type DealActivity, type EvalContext } from './conditions';

/** A rule that holds for a deal, with the conditions that made it true. */
export interface Flag {
  ruleId: string;
  ruleName: string;
  severity: Severity;
  message: string;
  remedy?: RecommendedAction;
  because: string[];
}

export const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** red: an error flag; amber: a warning; green: nothing worse than info. */
export type DealHealth = 'red' | 'amber' | 'green';
export function healthOf(flags: readonly Pick<Flag, 'severity'>[]): DealHealth {
  if (flags.some((f) => f.severity === 'error')) return 'red';
  if (flags.some((f) => f.severity === 'warning')) return 'amber';
  return 'green';
}

export const stageOf = (playbook: Playbook, stageId: string): Stage | undefined =>
  playbook.stages.find((s) => s.id === stageId);

// The rules that apply in each stage, worked out once per playbook object (10,000 deals share one).
const rulesByStage = new WeakMap<Playbook, Map<string, Rule[]>>();
function rulesIn(playbook: Playbook, stageId: string): Rule[] {
  let byStage = rulesByStage.get(playbook);
  if (!byStage) {
    byStage = new Map();
    for (const stage of playbook.stages) {
      if (stage.kind !== 'open') continue;
      byStage.set(
        stage.id,
        playbook.rules
          .filter((r) => r.enabled && (r.stageIds.length === 0 || r.stageIds.includes(stage.id)))
          // Most severe first, then in the playbook's order: the order flags are shown and acted on.
          .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]),
      );
    }
    rulesByStage.set(playbook, byStage);
  }
  return byStage.get(stageId) ?? [];
}

/**
 * The flags of one deal: the playbook's rules that apply in its stage and hold, most severe first (ties in the
 * playbook's order). Closed deals (won, lost) are never flagged. Pure and deterministic.
 */
export function evaluate(deal: Deal, activity: DealActivity, playbook: Playbook, clock: Clock): Flag[] {
  if (deal.status !== 'open') return [];
  const rules = rulesIn(playbook, deal.stageId);
  if (!rules.length) return [];
  const ctx: EvalContext = { deal, activity, playbook, clock };
  const flags: Flag[] = [];
  for (const rule of rules) {
    if (!groupHolds(rule.when, ctx)) continue;
    flags.push(new RuleFlag(rule, ctx));
  }
  return flags;
}

/**
 * `because` is worked out the first time it is read, then kept: a board of 10,000 deals needs to know which
 * rules hold, the words only for the flags someone looks at. The words are the same as if computed at once,
 * provided the caller does not mutate the deal or activity it evaluated (nothing here does: updates copy).
 * Send a flag across a boundary with plainFlag(): the getter lives on the prototype.
 */
class RuleFlag implements Flag {
  readonly ruleId: string;
  readonly ruleName: string;
  readonly severity: Severity;
  readonly message: string;
  readonly remedy?: RecommendedAction;
  readonly #rule: Rule;
  readonly #ctx: EvalContext;
  #because: string[] | undefined;

  constructor(rule: Rule, ctx: EvalContext) {
    this.ruleId = rule.id;
    this.ruleName = rule.name;
    this.severity = rule.severity;
    this.message = rule.message;
    if (rule.remedy) this.remedy = rule.remedy;
    this.#rule = rule;
    this.#ctx = ctx;
  }

  get because(): string[] {
    return (this.#because ??= explain(this.#rule.when, this.#ctx));
  }

  toJSON(): Flag {
    return plainFlag(this);
  }
}

/** A flag as a plain object (for messages, storage and structured cloning). */
export function plainFlag(f: Flag): Flag {
  return {
    ruleId: f.ruleId,
    ruleName: f.ruleName,
    severity: f.severity,
    message: f.message,
    ...(f.remedy && { remedy: f.remedy }),
    because: f.because,
  };
}
