import { sanitizeEmailHtml } from '../html-sanitiser/sanitize';
import { liveQuery } from 'dexie';
import { transact, type ThreadlineDb } from '../db/database';
import type { Contact } from '../domain/contact';
import { SequenceSchema, StepSchema, type Sequence, type Step } from '../domain/sequence';
import { computeAnalytics } from '../analytics/funnel';
import { addDelay, nextSendableMoment } from '../engine/calendar';
import { calendarOf } from '../engine/plan';
import { loadRep, loadTeamHolidays } from '../db/settings';
import { isLiveEnrollment, planSequenceEdit, type LiveEnrollment } from './sequences-edit';
import type { EditImpact, SaveResult, SequenceSummary, SequencesPort } from './interfaces/sequences';
import type { Store } from '../db/database';

export type { SequenceSummary, EditImpact, SaveResult, SequencesPort as SequencesStore };

/** Email bodies are the rep's HTML from the editor: sanitised before they are stored and sent. */
export function sanitizeSteps(
  steps: readonly Step[],
  clean: (html: string) => string = sanitizeEmailHtml,
): Step[] {
  return steps.map((step) => {
    if (step.type === 'auto_email')
      return {
        ...step,
        body: clean(step.body),
        variants: step.variants.map((v) => ({ ...v, body: clean(v.body) })),
      };
    if (step.type === 'manual_email') return { ...step, body: clean(step.body) };
    return step;
  });
}

async function liveEnrollmentsOf(s: Pick<Store, 'enrollments' | 'outbox'>, sequenceId: string) {
  const all = (await s.enrollments.where('sequenceId').equals(sequenceId).toArray()).filter(isLiveEnrollment);
  const claims = await s.outbox.bulkGet(all.map((e) => `${e.id}:${e.stepIndex}`));
  const live: LiveEnrollment[] = all.map((e, i) => ({
    id: e.id,
    stepIndex: e.stepIndex,
    waitingTaskId: e.waitingTaskId,
    inFlight: claims[i]?.state === 'claimed',
  }));
  return { all, live };
}

/**
 * A stored sequence as the builder reads it: each step completed with its schema's defaults. Rows written
 * before a field existed (a call step without `callScript`), or written by sync or a seed without going
 * through the schema, lack them, and the builder reads every field (it threw on the missing script, so the
 * sequence never opened). A step the schema now refuses is left as stored, for the rep to see and fix.
 */
function withStepDefaults(sequence: Sequence): Sequence {
  return {
    ...sequence,
    steps: sequence.steps.map((step) => {
      const parsed = StepSchema.safeParse(step);
      return parsed.success ? parsed.data : step;
    }),
  };
}

export function createSequencesStore(
  db: ThreadlineDb,
  opts: {
    now?: () => number;
    /** The browser's zone, until the rep sets theirs. */
    timeZone?: string;
    /** After a save moved enrollments: let the engine re-arm its alarm (the background's engine.tick). */
    afterSave?: () => Promise<unknown>;
    /** HTML sanitiser of email bodies; lib/html-sanitiser/sanitize by default. */
    sanitize?: (html: string) => string;
  } = {},
): SequencesPort {
  const now = opts.now ?? (() => Date.now());
  const zone = opts.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const rep = () => loadRep(db, zone);

  return {
    watchList(onChange, onError) {
      const subscription = liveQuery(async () => {
        const [sequences, enrollments, events] = await Promise.all([
          db.sequences.toArray(),
          db.enrollments.where('status').anyOf('active', 'paused').toArray(),
          db.events.toArray(),
        ]);
        const analytics = computeAnalytics(events, { from: 0, to: now() + 86_400_000 }, { timeZone: zone });
        const bySequence = new Map(analytics.bySequence.map((r) => [r.sequenceId, r]));
        const active = new Map<string, number>();
        for (const e of enrollments) active.set(e.sequenceId, (active.get(e.sequenceId) ?? 0) + 1);
        return sequences
          .sort((a, b) => b.updatedAt - a.updatedAt || a.name.localeCompare(b.name))
          .map((sequence): SequenceSummary => {
            const row = bySequence.get(sequence.id);
            return {
              sequence,
              activeEnrollments: active.get(sequence.id) ?? 0,
              reached: row?.counts.reached ?? 0,
              replyRate: row?.rates.replyRate ?? null,
              meetingRate: row?.rates.meetingRate ?? null,
            };
          });
      }).subscribe({ next: onChange, error: (e) => onError?.(e) });
      return () => subscription.unsubscribe();
    },

    load: async (id) => {
      const stored = await db.sequences.get(id);
      return stored && withStepDefaults(stored);
    },
    rep,
    teamHolidays: () => loadTeamHolidays(db),
    contacts: () => db.contacts.limit(50).toArray(),

    async abResults(sequenceId) {
      const events = await db.events.filter((e) => e.sequenceId === sequenceId).toArray();
      return computeAnalytics(events, { from: 0, to: now() + 86_400_000 }, { timeZone: zone }).abTests;
    },

    async impactOf(draft) {
      const before = await db.sequences.get(draft.id);
      if (!before) return { touched: 0, conflicts: [] };
      const { live } = await liveEnrollmentsOf(db, draft.id);
      const plan = planSequenceEdit(before.steps, draft.steps, live);
      return { touched: plan.touched, conflicts: plan.conflicts };
    },

    async save(draft) {
      const me = await rep();
      const parsed = SequenceSchema.safeParse({
        ...draft,
        ownerId: draft.ownerId || me.email,
        updatedAt: now(),
      });
      if (!parsed.success)
        return {
          ok: false,
          issues: parsed.error.issues.map((i) => ({
            path: i.path as (string | number)[],
            message: i.message,
          })),
        };
      const sequence: Sequence = { ...parsed.data, steps: sanitizeSteps(parsed.data.steps, opts.sanitize) };
      const holidays = await loadTeamHolidays(db);
      const result = await transact(db, async (s): Promise<SaveResult> => {
        const before = await s.sequences.get(sequence.id);
        if (!before) {
          await s.sequences.put(sequence);
          return { ok: true, sequence, moved: 0 };
        }
        const { all, live } = await liveEnrollmentsOf(s, sequence.id);
        const plan = planSequenceEdit(before.steps, sequence.steps, live);
        if (plan.conflicts.length) return { ok: false, conflicts: plan.conflicts };
        await s.sequences.put(sequence);
        const at = now();
        for (const remap of plan.remaps) {
          const e = all.find((x) => x.id === remap.enrollmentId)!;
          const next = { ...e, stepIndex: remap.to, version: e.version + 1 };
          const step = sequence.steps[remap.to];
          if (remap.continuationChanged && e.status === 'active' && !e.waitingTaskId) {
            if (!step) {
              // Nothing left to do: the runner finishes it on its next look.
              next.readyAt = undefined;
              next.dueAt = at;
            } else {
              const contact = await s.contacts.get(e.contactId);
              const cal = calendarOf({ sequence, contact: contact ?? ({} as Contact) }, me, holidays);
              // Its old next step is gone or moved: the new one's delay counts from now.
              next.readyAt = addDelay(at, step.delay, cal);
              next.dueAt = nextSendableMoment(next.readyAt, cal);
            }
          }
          await s.enrollments.put(next);
        }
        return { ok: true, sequence, moved: plan.remaps.length };
      });
      if (result.ok && result.moved > 0) await opts.afterSave?.().catch(() => undefined);
      return result;
    },

    async duplicate(id, name, newId) {
      const me = await rep();
      return transact(db, async (s) => {
        const source = await s.sequences.get(id);
        if (!source) throw new Error(`No sequence ${id}`);
        const copy: Sequence = {
          ...source,
          id: newId,
          name,
          ownerId: me.email,
          sharing: 'private',
          archived: false,
          updatedAt: now(),
        };
        await s.sequences.add(copy);
        return copy;
      });
    },

    async setArchived(id, archived) {
      await transact(db, async (s) => {
        const seq = await s.sequences.get(id);
        if (seq) await s.sequences.put({ ...seq, archived, updatedAt: now() });
      });
    },

    async setSharing(id, sharing) {
      await transact(db, async (s) => {
        const seq = await s.sequences.get(id);
        if (seq) await s.sequences.put({ ...seq, sharing, updatedAt: now() });
      });
    },
  };
}
