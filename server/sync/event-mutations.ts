import type { Enrollment } from '../../lib/domain/enrollment';
import type { Event } from '../../lib/domain/event';
import { Rejection, usable, type MutationCtx, type MutationHandlers, type RowKey } from './mutation-kit';

/** Events: append-only, idempotent by id, each counted by analytics for the sequence, contact and mailbox it names. */
export const eventMutations: MutationHandlers<'events.record'> = {
  'events.record': {
    reads: ({ events }) =>
      events.flatMap((event): RowKey[] => [
        { kind: 'event', id: event.id },
        ...(event.enrollmentId ? [{ kind: 'enrollment' as const, id: event.enrollmentId }] : []),
        ...(event.sequenceId !== undefined ? [{ kind: 'sequence' as const, id: event.sequenceId }] : []),
        ...(event.contactId !== undefined ? [{ kind: 'contact' as const, id: event.contactId }] : []),
      ]),
    async apply(ctx, { events }) {
      const fresh: Event[] = [];
      for (const [i, event] of events.entries()) {
        const existing = await ctx.w.get('event', event.id);
        if (existing) {
          // Events are append-only and idempotent by id: the caller's own retry changes nothing.
          if (existing.ownerId !== ctx.caller.id)
            throw new Rejection(`events.${i}.id: event id ${event.id} is taken`);
          continue;
        }
        fresh.push(await ownEvent(ctx, event, `events.${i}`));
      }
      await ctx.w.insertNew(
        'event',
        fresh.map((event) => ({
          id: event.id,
          row: { ownerId: ctx.caller.id, shared: false, deleted: false, data: event },
        })),
      );
    },
  },
};

const SCOPE = ['sequenceId', 'contactId', 'mailbox'] as const;

/**
 * The event as the caller may record it, or a rejection naming the field: analytics count an event for the
 * sequence, contact and mailbox it names, so it must be the caller's own. An event of an enrollment names
 * the caller's enrollment, and its sequence, contact and mailbox are the enrollment's (filled in when
 * missing, a different one refused). One without an enrollment names a sequence the caller can use, none of
 * a colleague's contacts, and the caller's own address.
 */
async function ownEvent(ctx: MutationCtx, event: Event, path: string): Promise<Event> {
  if (event.enrollmentId) {
    const row = await ctx.w.get('enrollment', event.enrollmentId);
    if (!row || row.deleted || !row.data || row.ownerId !== ctx.caller.id)
      throw new Rejection(`${path}.enrollmentId: no enrollment ${event.enrollmentId} of yours`);
    const enrollment = row.data as Enrollment;
    for (const field of SCOPE) {
      const named = event[field];
      const same = field === 'mailbox' ? sameAddress : (a: string, b: string) => a === b;
      if (named !== undefined && !same(named, enrollment[field]))
        throw new Rejection(`${path}.${field}: is ${enrollment[field]} on enrollment ${event.enrollmentId}`);
    }
    return { ...event, ...pick(enrollment, SCOPE) };
  }
  if (event.sequenceId !== undefined) await usable(ctx, 'sequence', event.sequenceId, `${path}.sequenceId`);
  if (event.contactId !== undefined) {
    // A contact the server does not know is allowed (an import's); a colleague's is not.
    const contact = await ctx.w.get('contact', event.contactId);
    if (contact && contact.ownerId !== ctx.caller.id)
      throw new Rejection(`${path}.contactId: no contact ${event.contactId} of yours`);
  }
  if (event.mailbox === undefined) return event;
  // An address the provider did not vouch for may be anyone's: it attributes nothing.
  if (!ctx.caller.emailVerified)
    throw new Rejection(
      `${path}.mailbox: your sign-in address ${ctx.caller.email} is not verified by your provider, so no event can name it; record the event with its enrollment`,
    );
  if (!sameAddress(event.mailbox, ctx.caller.email))
    throw new Rejection(
      `${path}.mailbox: an event without an enrollment names your own address (${ctx.caller.email})`,
    );
  return { ...event, mailbox: ctx.caller.email };
}

const sameAddress = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, value[k]])) as Pick<T, K>;
}
