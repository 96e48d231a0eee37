import { EnrollmentSchema } from '../../lib/domain/enrollment';
import { SequenceSchema } from '../../lib/domain/sequence';
import { moveRefusal, moveToStep } from '../../lib/engine/move';
import { owned, putOwned, Rejection, usable, validate, type MutationHandlers } from './mutation-kit';

/**
 * `enrollment.move`: the rep moved an enrollment to another step (the options page's Enrollments view). The
 * server applies lib/engine's rule, as the device did: an enrollment that has ended here (a reply another
 * device saw first) stays ended and unmoved; a step that does not exist is refused; a replay of the same move
 * changes nothing.
 */
export const moveMutations: MutationHandlers<'enrollment.move'> = {
  'enrollment.move': {
    reads: (args) => [
      { kind: 'enrollment', id: args.enrollmentId },
      { kind: 'sequence', id: args.sequenceId },
    ],
    async apply(ctx, { enrollmentId, sequenceId, toStep, readyAt, dueAt, remainingMs }) {
      const row = await owned(ctx, 'enrollment', enrollmentId);
      const current = validate(EnrollmentSchema, row.data, 'enrollment');
      if (current.sequenceId !== sequenceId)
        throw new Rejection(`sequenceId: enrollment ${enrollmentId} is in sequence ${current.sequenceId}`);
      if (current.status !== 'active' && current.status !== 'paused') return;
      if (current.stepIndex === toStep) return;
      const sequence = validate(SequenceSchema, (await usable(ctx, 'sequence', sequenceId)).data, 'sequence');
      const refusal = moveRefusal(current, sequence, toStep);
      if (refusal) throw new Rejection(`toStep: ${refusal}`);
      const next = moveToStep(current, sequence, toStep, { readyAt, dueAt, remainingMs });
      await putOwned(
        ctx,
        'enrollment',
        enrollmentId,
        validate(EnrollmentSchema, { ...next, version: current.version + 1 }, 'enrollment'),
      );
    },
  },
};
