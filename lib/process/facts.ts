import { describeZodError, ValidationError } from '../domain/common';
import { FactValueSchema, type Deal, type DealEvent, type FactValue } from '../domain/deal';
import type { Playbook } from '../domain/playbook';

/**
 * A rep's answer written to the deal's facts, checked against the playbook's definition (type, choices), and
 * the history row recording it. `value` undefined clears the answer. Throws a ValidationError naming the fact.
 */
export function answerFact(
  deal: Deal,
  playbook: Playbook,
  factKey: string,
  value: FactValue | undefined,
  at: number,
  by: string,
): { deal: Deal; event: DealEvent } {
  const def = playbook.facts.find((f) => f.key === factKey);
  if (!def) throw new ValidationError(`${factKey}: the playbook has no such fact`);
  let parsed: FactValue | undefined;
  if (value !== undefined) {
    const r = FactValueSchema.safeParse(value);
    if (!r.success) throw new ValidationError(describeZodError(r.error, factKey));
    parsed = r.data;
    if (parsed.type !== def.type)
      throw new ValidationError(`${factKey}: ${def.label} takes a ${def.type} answer, not ${parsed.type}`);
    if (parsed.type === 'choice' && !def.choices?.includes(parsed.value))
      throw new ValidationError(`${factKey}: "${parsed.value}" is not one of ${def.choices?.join(', ')}`);
    if (parsed.type === 'contact' && !deal.contacts.some((c) => c.contactId === parsed?.value))
      throw new ValidationError(`${factKey}: the contact is not on the deal`);
  }
  const facts = { ...deal.facts };
  if (parsed) facts[factKey] = parsed;
  else delete facts[factKey];
  return {
    deal: { ...deal, facts, updatedAt: at },
    event: {
      id: `${deal.id}:fact:${factKey}:${at}`,
      dealId: deal.id,
      at,
      by,
      kind: 'fact_answered',
      data: { factKey, ...(parsed && { value: parsed }) },
    },
  };
}
