import { SuppressionSchema } from '../../lib/domain/suppression';
import { Rejection, validate, type MutationHandlers } from './mutation-kit';

/** Suppressions the recipient asked for: lifted only by an admin, never by sync. */
export const RECIPIENTS_OWN = new Set(['unsubscribed', 'spam_complaint']);

/** The team's do-not-contact list, keyed by address: shared by everyone in the team. */
export const suppressionMutations: MutationHandlers<'suppression.add' | 'suppression.remove'> = {
  'suppression.add': {
    reads: (args) => [{ kind: 'suppression', id: args.email }],
    async apply(ctx, suppression) {
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
  },
  'suppression.remove': {
    reads: (args) => [{ kind: 'suppression', id: args.email }],
    async apply(ctx, { email }) {
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
  },
};
