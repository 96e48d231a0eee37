import { ContactSchema } from '../../lib/domain/contact';
import { SequenceSchema } from '../../lib/domain/sequence';
import { owned, putOwned, Rejection, sent, validate, type MutationHandlers } from './mutation-kit';

/** Sequences and contacts: patches by id, each row its owner's (a sequence shared with the team is still its owner's to change). */
export const libraryMutations: MutationHandlers<
  'sequence.upsert' | 'sequence.archive' | 'contact.upsert' | 'contact.delete'
> = {
  'sequence.upsert': {
    reads: (args) => [{ kind: 'sequence', id: args.id }],
    async apply(ctx, args, given) {
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
  },
  'sequence.archive': {
    reads: (args) => [{ kind: 'sequence', id: args.sequenceId }],
    async apply(ctx, { sequenceId, archived }) {
      const row = await owned(ctx, 'sequence', sequenceId);
      const next = { ...row.data, archived, updatedAt: ctx.now };
      await putOwned(ctx, 'sequence', sequenceId, next, row.shared);
    },
  },
  'contact.upsert': {
    reads: (args) => [{ kind: 'contact', id: args.id }],
    async apply(ctx, args, given) {
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
  },
  'contact.delete': {
    reads: (args) => [{ kind: 'contact', id: args.contactId }],
    async apply(ctx, { contactId }) {
      await owned(ctx, 'contact', contactId);
      await ctx.w.put('contact', contactId, {
        ownerId: ctx.caller.id,
        shared: false,
        deleted: true,
        data: null,
      });
    },
  },
};
