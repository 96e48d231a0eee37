import { MANAGER_DEAL_FIELDS, type PROCESS_MUTATIONS } from '../../lib/contract/process-mutations';
import { DealSchema, type Deal, type DealEvent, type DealFlag } from '../../lib/domain/deal';
import { PlaybookSchema } from '../../lib/domain/playbook';
import type { Caller } from '../http';
import type { StoredRow } from './changes';
import {
  Rejection,
  sent,
  validate,
  type LiveRow,
  type MutationCtx,
  type MutationHandlers,
  type RowKey,
} from './mutation-kit';

/**
 * The behavior layer's mutations (lib/contract/process-mutations.ts). Who may write what:
 * - a deal is its owner's: created by the caller (the server stamps the owner), changed and deleted by them;
 *   a manager or an admin may move a teammate's deal (stage and status only: the override of a require
 *   gate), nothing else;
 * - a deal's history and flags are stored under the deal's owner, so the owner's devices receive a
 *   manager's override; history is append-only and idempotent by id; only a manager or an admin records
 *   an override; a flag is written by the deal's owner only, and its clearing is final;
 * - a playbook is the team's (every member pulls it), written and deleted by managers and admins only.
 * Every read goes through the ChangeWriter, which reads the caller's team only.
 */

export type ProcessMutationName = keyof typeof PROCESS_MUTATIONS;

const liveOf = (row: StoredRow | undefined): LiveRow | undefined =>
  row && !row.deleted && row.data ? (row as LiveRow) : undefined;

const isManager = (caller: Caller) => caller.role === 'manager' || caller.role === 'admin';

/** A deal of the caller's team the caller may act on: their own, or any of the team's for a manager. */
async function dealFor(ctx: MutationCtx, dealId: string, path: string, managers: boolean): Promise<LiveRow> {
  const deal = liveOf(await ctx.w.get('deal', dealId));
  if (!deal || (deal.ownerId !== ctx.caller.id && !(managers && isManager(ctx.caller))))
    throw new Rejection(`${path}: no deal ${dealId} of yours`);
  return deal;
}

/** History a manager or an admin may add to a teammate's deal: the move and why. */
const MANAGER_EVENT_KINDS = new Set<DealEvent['kind']>(['stage_changed', 'criteria_skipped', 'override']);

export const dealMutations: MutationHandlers<ProcessMutationName> = {
  'deal.upsert': {
    reads: (args) => [{ kind: 'deal', id: args.id }],
    async apply(ctx, args, given) {
      const row = await ctx.w.get('deal', args.id);
      const live = liveOf(row);
      const { cleared = [], ...patch } = sent(args, given);
      const without = (data: Record<string, unknown>) => {
        const copy = { ...data };
        for (const field of cleared) delete copy[field];
        return copy;
      };
      if (row && row.ownerId !== ctx.caller.id) {
        if (!live || !isManager(ctx.caller)) throw new Rejection(`no deal ${args.id} of yours`);
        const others = [...Object.keys(patch), ...cleared].filter(
          (key) => key !== 'id' && !(MANAGER_DEAL_FIELDS as readonly string[]).includes(key),
        );
        if (others.length)
          throw new Rejection(
            `deal ${args.id} is ${String(live.data.ownerId)}’s: a manager or an admin may only move it (${MANAGER_DEAL_FIELDS.join(', ')}), not change ${others.join(', ')}`,
          );
        const next = validate(DealSchema, { ...without(live.data), ...patch }, 'deal');
        await ctx.w.put('deal', args.id, { ownerId: row.ownerId, shared: false, deleted: false, data: next });
        return;
      }
      // The owner is the caller (their sign-in address), whatever a device put there.
      const next = validate(
        DealSchema,
        { ...without(live?.data ?? {}), ...patch, ownerId: live ? live.data.ownerId : ctx.caller.email },
        'deal',
      );
      await ctx.w.put('deal', args.id, { ownerId: ctx.caller.id, shared: false, deleted: false, data: next });
    },
  },

  'deal.delete': {
    reads: (args) => [{ kind: 'deal', id: args.dealId }],
    async apply(ctx, { dealId }) {
      const deal = liveOf(await ctx.w.get('deal', dealId));
      if (!deal || deal.ownerId !== ctx.caller.id) throw new Rejection(`no deal ${dealId} of yours`);
      await ctx.w.put('deal', dealId, { ownerId: ctx.caller.id, shared: false, deleted: true, data: null });
    },
  },

  'dealEvents.record': {
    reads: (args) =>
      args.events.flatMap((e): RowKey[] => [
        { kind: 'deal_event', id: e.id },
        { kind: 'deal', id: e.dealId },
      ]),
    async apply(ctx, { events }) {
      const fresh: { id: string; row: StoredRow }[] = [];
      for (const [i, event] of events.entries()) {
        const path = `events.${i}`;
        const existing = await ctx.w.get('deal_event', event.id);
        if (existing) {
          // Append-only and idempotent by id: the same row again changes nothing; an id in use is refused.
          if (existing.data?.dealId !== event.dealId)
            throw new Rejection(`${path}.id: deal event id ${event.id} is taken`);
          continue;
        }
        const deal = await dealFor(ctx, event.dealId, `${path}.dealId`, MANAGER_EVENT_KINDS.has(event.kind));
        if (event.kind === 'override' && !isManager(ctx.caller))
          throw new Rejection(
            `${path}: only a manager or an admin can override the exit criteria of a require-gate pipeline`,
          );
        fresh.push({
          id: event.id,
          row: { ownerId: deal.ownerId, shared: false, deleted: false, data: event },
        });
      }
      await ctx.w.insertNew('deal_event', fresh);
    },
  },

  'dealFlag.upsert': {
    reads: (flag) => [
      { kind: 'deal_flag', id: flag.id },
      { kind: 'deal', id: flag.dealId },
    ],
    async apply(ctx, flag) {
      const deal = await dealFor(ctx, flag.dealId, 'dealId', false);
      const existing = liveOf(await ctx.w.get('deal_flag', flag.id));
      if (existing) {
        const held = existing.data as DealFlag;
        if (held.dealId !== flag.dealId) throw new Rejection(`id: flag id ${flag.id} is taken`);
        // A cleared flag is history: a late device cannot reopen it (a new raise is a new flag).
        if (held.clearedAt !== undefined) return;
      }
      const data: DealFlag = { ...flag, ownerId: String((deal.data as Deal).ownerId) };
      await ctx.w.put('deal_flag', flag.id, { ownerId: deal.ownerId, shared: false, deleted: false, data });
    },
  },

  'playbook.upsert': {
    reads: (playbook) => [{ kind: 'playbook', id: playbook.id }],
    async apply(ctx, playbook) {
      if (!isManager(ctx.caller))
        throw new Rejection(
          `only a manager or an admin can change playbook ${playbook.id}: the playbook is the team’s`,
        );
      const row = await ctx.w.get('playbook', playbook.id);
      const next = validate(PlaybookSchema, { ...playbook, updatedAt: ctx.now }, 'playbook');
      await ctx.w.put('playbook', playbook.id, {
        ownerId: row?.ownerId ?? ctx.caller.id,
        shared: true,
        deleted: false,
        data: next,
      });
    },
  },

  'playbook.delete': {
    reads: (args) => [{ kind: 'playbook', id: args.playbookId }],
    async apply(ctx, { playbookId }) {
      if (!isManager(ctx.caller))
        throw new Rejection(
          `only a manager or an admin can delete playbook ${playbookId}: the playbook is the team’s`,
        );
      const row = liveOf(await ctx.w.get('playbook', playbookId));
      if (!row) return;
      await ctx.w.put('playbook', playbookId, {
        ownerId: row.ownerId,
        shared: true,
        deleted: true,
        data: null,
      });
    },
  },
};
