import type { ConditionGroup, Playbook, PlaybookInput } from '@/lib/domain/playbook';
import type { PlaybooksView } from '@/lib/options-ports/interfaces/deals';
import { ALL_AUTOMATIONS } from '@/lib/process/automations';
import type { Clock } from '@/lib/process/clock';
import { evaluate } from '@/lib/process/evaluate';
import { groupProblems } from './rule-builder-model';

/**
 * The playbook being edited and what the editor works out from it, pure: the values of the wrong type named
 * at their field, which of the rep's deals each rule flags, the rep's automation switches in words.
 */

export type Draft = PlaybookInput & { stages: NonNullable<PlaybookInput['stages']> };

/** Changes the draft (the caller clones). */
export type UpdateDraft = (change: (d: Draft) => void) => void;

/** JSON the builder can show: an AND/OR group with a list of conditions (anything else stays in the JSON view). */
export const isGroupShape = (when: unknown): when is ConditionGroup =>
  typeof when === 'object' &&
  when !== null &&
  ((when as ConditionGroup).op === 'and' || (when as ConditionGroup).op === 'or') &&
  Array.isArray((when as ConditionGroup).conditions) &&
  (when as ConditionGroup).conditions.every((c) => typeof c === 'object' && c !== null);

/** "0.1" (a condition's path in its rule) as the rep counts it: "1.2". */
const counted = (at: string) =>
  at
    .split('.')
    .map((i) => Number(i) + 1)
    .join('.');

/** Values of the wrong type for their subject (a word where a number is due): named at the field, not saved. */
export function valueProblems(draft: Draft): string[] {
  const facts = draft.facts ?? [];
  const out: string[] = [];
  (draft.rules ?? []).forEach((r) => {
    for (const [at, message] of groupProblems(r.when as ConditionGroup, facts))
      out.push(`rule "${r.name}", condition ${counted(at)}: value: ${message}`);
  });
  draft.stages.forEach((st) =>
    (st.exitCriteria ?? []).forEach((c) => {
      if (c.when === undefined || c.factKey) return;
      for (const [at, message] of groupProblems(c.when as ConditionGroup, facts))
        out.push(`stage "${st.name}", criterion "${c.label}", condition ${counted(at)}: value: ${message}`);
    }),
  );
  return out;
}

/** The names of the rep's open deals in the playbook's pipeline each rule flags now, by rule id. */
export function flaggedByRule(playbook: Playbook, view: PlaybooksView, clock: Clock): Map<string, string[]> {
  const byRule = new Map<string, string[]>();
  for (const deal of view.deals) {
    if (deal.pipelineId !== playbook.pipelineId) continue;
    const activity = view.activities.get(deal.id) ?? { last: {}, activeSequences: 0, openTasks: 0 };
    for (const flag of evaluate(deal, activity, playbook, clock))
      byRule.set(flag.ruleId, [...(byRule.get(flag.ruleId) ?? []), deal.name]);
  }
  return byRule;
}

/** The rep's automation switches in words. */
export function switchesWords(turnedOff: readonly string[]): string {
  if (turnedOff.includes(ALL_AUTOMATIONS)) return 'Every automation is paused on your deals.';
  if (turnedOff.length)
    return `${turnedOff.length} automation${turnedOff.length > 1 ? 's' : ''} turned off on your deals.`;
  return 'Automations run on your deals.';
}
