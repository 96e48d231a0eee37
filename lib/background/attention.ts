import { describeZodError } from '../domain/common';
import { ContactSchema, type Contact } from '../domain/contact';
import type { Handlers } from '../protocol/endpoints';
import { resumeEnrollment } from '../runner/actions';
import type { RunnerDeps } from '../runner/deps';
import { attentionOf, missingTokensOf, waitsOnlyForValues } from '../options-ports/attention';
import { fieldOfToken } from '../options-ports/bulk-preflight';

/** Writes the rep's values for token paths into the contact's fields. */
function withValues(contact: Contact, values: Record<string, string>): Contact {
  const next: Contact = { ...contact, custom: { ...contact.custom } };
  for (const [token, value] of Object.entries(values)) {
    const target = fieldOfToken(token);
    if (!target) throw new Error(`${token}: is not a contact field`);
    if ('custom' in target) next.custom[target.custom] = value;
    else next[target.field] = value;
  }
  return next;
}

/**
 * The task queue's attention items: every enrollment paused for the rep (contract 2), and the inline fix of
 * a missing value, which saves it on the contact and resumes through the runner's own resume.
 */
export function attentionHandlers(
  deps: RunnerDeps,
  tick: () => Promise<unknown>,
): Pick<Handlers, 'attention.list' | 'attention.fix'> {
  return {
    'attention.list': async () => {
      const paused = (await deps.db.enrollments.where('status').equals('paused').toArray()).filter(
        (e) => e.pauseReason === 'needs_attention',
      );
      const contacts = new Map(
        (await deps.db.contacts.bulkGet([...new Set(paused.map((e) => e.contactId))]))
          .filter((c) => c !== undefined)
          .map((c) => [c.id, c]),
      );
      const sequences = new Map(
        (await deps.db.sequences.bulkGet([...new Set(paused.map((e) => e.sequenceId))]))
          .filter((s) => s !== undefined)
          .map((s) => [s.id, s]),
      );
      const items = paused
        .sort((a, b) => (a.pausedAt ?? 0) - (b.pausedAt ?? 0))
        .flatMap((e) => {
          const contact = contacts.get(e.contactId);
          const attention = attentionOf(e);
          if (!contact || !attention) return [];
          return [
            {
              enrollmentId: e.id,
              contact,
              sequenceName: sequences.get(e.sequenceId)?.name ?? '',
              stepNumber: e.stepIndex + 1,
              kind: attention.kind,
              detail: attention.detail,
              ...(attention.from ? { from: attention.from } : {}),
              ...(e.pausedAt !== undefined ? { pausedAt: e.pausedAt } : {}),
              missing:
                attention.kind === 'missing_token'
                  ? missingTokensOf(attention.detail).filter((t) => fieldOfToken(t))
                  : [],
            },
          ];
        });
      return { items };
    },

    'attention.fix': async ({ enrollmentId, values }) => {
      const e = await deps.db.enrollments.get(enrollmentId);
      if (!e) throw new Error(`No enrollment ${enrollmentId}`);
      const contact = await deps.db.contacts.get(e.contactId);
      if (!contact) throw new Error(`No contact ${e.contactId}`);
      const parsed = ContactSchema.safeParse(withValues(contact, values));
      if (!parsed.success) throw new Error(describeZodError(parsed.error));
      await deps.db.contacts.put(parsed.data);
      const seq = await deps.db.sequences.get(e.sequenceId);
      if (!waitsOnlyForValues(e, seq, parsed.data, await deps.rep())) return { resumed: false };
      await resumeEnrollment(deps, e.id, deps.clock.now());
      await tick();
      return { resumed: true };
    },
  };
}
