import type { z } from 'zod';
import { MutationArgs, type MutationArgsOf, type MutationName } from '../../lib/contract/mutations';
import type { EntityKind } from '../../lib/contract/sync';
import { ContactSchema } from '../../lib/domain/contact';
import { describeZodError } from '../../lib/domain/common';
import { EnrollmentSchema, type Enrollment } from '../../lib/domain/enrollment';
import type { Event } from '../../lib/domain/event';
import { SequenceSchema } from '../../lib/domain/sequence';
import { SuppressionSchema } from '../../lib/domain/suppression';
import type { Task } from '../../lib/domain/task';
import type { Caller } from '../http';
import type { ChangeWriter, StoredRow } from './changes';
import { unstorableText } from './storable';

/** A mutation the server refuses; the push goes on with the next one. */
export class Rejection extends Error {
  override name = 'Rejection';
}

interface Ctx {
  w: ChangeWriter;
  caller: Caller;
  now: number;
  /** The sign-in addresses of the caller's teammates (lower case): not a mailbox the caller enrolls from. */
  colleagues?: ReadonlySet<string>;
}

/** `given` is the args as sent, parsed: patches apply only the fields the client sent, not schema defaults. */
type Handler<N extends MutationName> = (
  ctx: Ctx,
  args: MutationArgsOf<N>,
  given: Set<string>,
) => Promise<void>;

function sent<T extends object>(args: T, given: Set<string>): Partial<T> {
  return Object.fromEntries(Object.entries(args).filter(([key]) => given.has(key))) as Partial<T>;
}

const LIVE = new Set(['active', 'paused']);
/** Suppressions the recipient asked for: lifted only by an admin, never by sync. */
export const RECIPIENTS_OWN = new Set(['unsubscribed', 'spam_complaint']);
/** A live row the caller owns, or a rejection that does not reveal whether someone else's exists. */
async function owned(
  ctx: Ctx,
  kind: EntityKind,
  id: string,
): Promise<StoredRow & { data: Record<string, unknown> }> {
  const row = await ctx.w.get(kind, id);
  if (!row || row.deleted || !row.data || row.ownerId !== ctx.caller.id)
    throw new Rejection(`no ${kind} ${id} of yours`);
  return row as StoredRow & { data: Record<string, unknown> };
}

function validate<T>(schema: z.ZodType<T>, value: unknown, root: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new Rejection(describeZodError(result.error, root));
  return result.data;
}

async function putOwned(ctx: Ctx, kind: EntityKind, id: string, data: object, shared = false): Promise<void> {
  await ctx.w.put(kind, id, {
    ownerId: ctx.caller.id,
    shared,
    deleted: false,
    data: data as Record<string, unknown>,
  });
}

async function changeEnrollment(ctx: Ctx, id: string, change: (e: Enrollment) => Enrollment | undefined) {
  const row = await owned(ctx, 'enrollment', id);
  const current = validate(EnrollmentSchema, row.data, 'enrollment');
  const next = change(current);
  if (next)
    await putOwned(
      ctx,
      'enrollment',
      id,
      validate(EnrollmentSchema, { ...next, version: current.version + 1 }, 'enrollment'),
    );
}

async function changeTask(ctx: Ctx, id: string, change: (t: Task) => Task) {
  const row = await owned(ctx, 'task', id);
  const task = row.data as Task;
  // Completion and skipping are final: a later reschedule or second finish changes nothing.
  if (task.status !== 'open') return;
  await putOwned(ctx, 'task', id, change(task));
}

function without<T extends object>(value: T, ...keys: (keyof T)[]): T {
  const copy = { ...value };
  for (const key of keys) delete copy[key];
  return copy;
}

const handlers: { [N in MutationName]: Handler<N> } = {
  async 'sequence.upsert'(ctx, args, given) {
    const row = await ctx.w.get('sequence', args.id);
    const live = row && !row.deleted && row.data ? row : undefined;
    if (live && live.ownerId !== ctx.caller.id)
      throw new Rejection(`only its owner can change sequence ${args.id}`);
    const next = validate(
      SequenceSchema,
      { ...live?.data, ...sent(args, given), ownerId: ctx.caller.id, updatedAt: ctx.now },
      'sequence',
    );
    await putOwned(ctx, 'sequence', args.id, next, next.sharing === 'team');
  },
  async 'sequence.archive'(ctx, { sequenceId, archived }) {
    const row = await owned(ctx, 'sequence', sequenceId);
    const next = { ...row.data, archived, updatedAt: ctx.now };
    await putOwned(ctx, 'sequence', sequenceId, next, row.shared);
  },
  async 'contact.upsert'(ctx, args, given) {
    const row = await ctx.w.get('contact', args.id);
    const live = row && !row.deleted && row.data ? row : undefined;
    if (live && live.ownerId !== ctx.caller.id) throw new Rejection(`no contact ${args.id} of yours`);
    await putOwned(
      ctx,
      'contact',
      args.id,
      validate(ContactSchema, { ...live?.data, ...sent(args, given) }, 'contact'),
    );
  },
  async 'contact.delete'(ctx, { contactId }) {
    await owned(ctx, 'contact', contactId);
    await ctx.w.put('contact', contactId, {
      ownerId: ctx.caller.id,
      shared: false,
      deleted: true,
      data: null,
    });
  },
  async enroll(ctx, args) {
    const existing = await ctx.w.get('enrollment', args.id);
    if (existing) {
      if (existing.ownerId !== ctx.caller.id) throw new Rejection(`enrollment id ${args.id} is taken`);
      return; // Enrolling is idempotent by id.
    }
    // Analytics counts a rep's results by the mailbox they left from: a colleague's is not the caller's to use.
    if (ctx.colleagues?.has(args.mailbox.toLowerCase()))
      throw new Rejection(
        `mailbox: ${args.mailbox} is a colleague’s address; enroll from a mailbox of your own`,
      );
    const contact = await owned(ctx, 'contact', args.contactId);
    const sequence = await ctx.w.get('sequence', args.sequenceId);
    if (!sequence || sequence.deleted || (sequence.ownerId !== ctx.caller.id && !sequence.shared))
      throw new Rejection(`no sequence ${args.sequenceId} you can use`);
    const email = String(contact.data.email);
    const suppressed = await ctx.w.get('suppression', email);
    if (suppressed && !suppressed.deleted) throw new Rejection(`${email} is on the do-not-contact list`);
    await putOwned(ctx, 'enrollment', args.id, { ...args, version: 0 });
  },
  async 'enrollment.pause'(ctx, { enrollmentId, at, reason, until }) {
    await changeEnrollment(ctx, enrollmentId, (e) =>
      e.status !== 'active'
        ? undefined
        : {
            ...e,
            status: 'paused',
            pausedAt: at,
            pauseReason: reason,
            ...(until !== undefined ? { pausedUntil: until } : {}),
          },
    );
  },
  async 'enrollment.resume'(ctx, { enrollmentId, readyAt, dueAt }) {
    await changeEnrollment(ctx, enrollmentId, (e) =>
      e.status !== 'paused'
        ? undefined
        : {
            ...without(e, 'pausedAt', 'pauseReason', 'pausedUntil', 'remainingMs'),
            status: 'active',
            ...(readyAt !== undefined ? { readyAt } : {}),
            ...(dueAt !== undefined ? { dueAt } : {}),
          },
    );
  },
  async 'enrollment.unenroll'(ctx, { enrollmentId, at, reason, detail }) {
    await changeEnrollment(ctx, enrollmentId, (e) =>
      !LIVE.has(e.status)
        ? undefined
        : {
            ...without(e, 'dueAt', 'pausedUntil'),
            status: 'unenrolled',
            reason,
            endedAt: at,
            ...(detail !== undefined ? { detail } : {}),
          },
    );
  },
  async 'enrollment.progress'(ctx, { enrollmentId, finishedAt, cleared = [], ...fields }, given) {
    await changeEnrollment(ctx, enrollmentId, (e) => {
      const next: Enrollment = without({ ...e, ...sent(fields, given) }, ...cleared);
      if (finishedAt === undefined || !LIVE.has(e.status)) return next;
      return { ...without(next, 'dueAt'), status: 'finished', endedAt: finishedAt };
    });
  },
  async 'task.create'(ctx, task) {
    const existing = await ctx.w.get('task', task.id);
    if (existing) {
      if (existing.ownerId !== ctx.caller.id) throw new Rejection(`task id ${task.id} is taken`);
      return;
    }
    await owned(ctx, 'enrollment', task.enrollmentId);
    await putOwned(ctx, 'task', task.id, task);
  },
  async 'task.complete'(ctx, { taskId, at, outcome, notes }) {
    await changeTask(ctx, taskId, (t) => ({
      ...t,
      status: 'completed',
      doneAt: at,
      ...(outcome !== undefined ? { outcome } : {}),
      ...(notes !== undefined ? { outcomeNotes: notes } : {}),
    }));
  },
  async 'task.skip'(ctx, { taskId, at }) {
    await changeTask(ctx, taskId, (t) => ({ ...t, status: 'skipped', doneAt: at }));
  },
  async 'task.snooze'(ctx, { taskId, dueAt }) {
    await changeTask(ctx, taskId, (t) => ({ ...t, dueAt }));
  },
  async 'suppression.add'(ctx, suppression) {
    const existing = await ctx.w.get('suppression', suppression.email);
    // The first reason an address was suppressed is kept (an unsubscribe is not overwritten by a manual add).
    if (existing && !existing.deleted) return;
    await ctx.w.put('suppression', suppression.email, {
      ownerId: ctx.caller.id,
      shared: true,
      deleted: false,
      data: validate(SuppressionSchema, suppression, 'suppression'),
    });
  },
  async 'suppression.remove'(ctx, { email }) {
    const existing = await ctx.w.get('suppression', email);
    if (!existing || existing.deleted) return;
    // The recipient's own word: only an admin lifts it, through POST /team/suppressions/lift with a reason
    // (server/team/suppressions.ts), never a device's sync. The device's next pull brings the row back.
    const reason = existing.data?.reason;
    if (typeof reason === 'string' && RECIPIENTS_OWN.has(reason))
      throw new Rejection(
        `${email} ${reason === 'unsubscribed' ? 'unsubscribed' : 'complained (spam_complaint)'}: only an admin can lift it, with a reason, in the team settings`,
      );
    if (existing.ownerId !== ctx.caller.id && ctx.caller.role === 'rep')
      throw new Rejection(
        `only a manager, an admin or whoever added it can remove ${email} from the do-not-contact list`,
      );
    await ctx.w.put('suppression', email, {
      ownerId: existing.ownerId,
      shared: true,
      deleted: true,
      data: null,
    });
  },
  async 'events.record'(ctx, { events }) {
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
};

const SCOPE = ['sequenceId', 'contactId', 'mailbox'] as const;

/**
 * The event as the caller may record it, or a rejection naming the field: analytics count an event for the
 * sequence, contact and mailbox it names, so it must be the caller's own. An event of an enrollment names
 * the caller's enrollment, and its sequence, contact and mailbox are the enrollment's (filled in when
 * missing, a different one refused). One without an enrollment names a sequence the caller can use, none of
 * a colleague's contacts, and the caller's own address.
 */
async function ownEvent(ctx: Ctx, event: Event, path: string): Promise<Event> {
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
  if (event.sequenceId !== undefined) {
    const sequence = await ctx.w.get('sequence', event.sequenceId);
    if (!sequence || sequence.deleted || (sequence.ownerId !== ctx.caller.id && !sequence.shared))
      throw new Rejection(`${path}.sequenceId: no sequence ${event.sequenceId} you can use`);
  }
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

function isMutationName(name: string): name is MutationName {
  return Object.hasOwn(MutationArgs, name);
}

/** Validates and applies one mutation, or throws a Rejection naming why not. Writes happen only after all checks. */
export async function applyMutation(ctx: Ctx, name: string, rawArgs: unknown): Promise<void> {
  if (!isMutationName(name)) throw new Rejection(`unknown mutation "${name}"`);
  const unstorable = unstorableText(rawArgs, 'args');
  if (unstorable) throw new Rejection(unstorable);
  const args = validate(MutationArgs[name] as z.ZodType<MutationArgsOf<typeof name>>, rawArgs, 'args');
  const given = new Set(typeof rawArgs === 'object' && rawArgs ? Object.keys(rawArgs) : []);
  await (handlers[name] as Handler<typeof name>)(ctx, args, given);
}

const KEYS: [field: string, kind: EntityKind][] = [
  ['enrollmentId', 'enrollment'],
  ['taskId', 'task'],
  ['contactId', 'contact'],
  ['sequenceId', 'sequence'],
];
const ID_KIND: Record<string, EntityKind> = {
  'sequence.upsert': 'sequence',
  'contact.upsert': 'contact',
  enroll: 'enrollment',
  'task.create': 'task',
};

/** The rows a push's mutations will read, guessed from their args, to fetch them in one query. */
export function rowsReadBy(mutations: { name: string; args: unknown }[]): { kind: EntityKind; id: string }[] {
  const keys: { kind: EntityKind; id: string }[] = [];
  for (const { name, args } of mutations) {
    if (typeof args !== 'object' || args === null) continue;
    const a = args as Record<string, unknown>;
    const kind = ID_KIND[name];
    if (kind && typeof a.id === 'string') keys.push({ kind, id: a.id });
    for (const [field, k] of KEYS) if (typeof a[field] === 'string') keys.push({ kind: k, id: a[field] });
    if (name === 'events.record' && Array.isArray(a.events))
      for (const e of a.events as unknown[]) {
        if (typeof e !== 'object' || e === null) continue;
        const event = e as Record<string, unknown>;
        if (typeof event.id === 'string') keys.push({ kind: 'event', id: event.id });
        for (const [field, k] of KEYS)
          if (typeof event[field] === 'string') keys.push({ kind: k, id: event[field] });
      }
    if (name.startsWith('suppression.') && typeof a.email === 'string')
      keys.push({ kind: 'suppression', id: a.email.trim().toLowerCase() });
  }
  return keys;
}
