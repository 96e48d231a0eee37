import { z } from 'zod';
import { Id } from '../domain/common';

/** Largest accepted push; a client with more pending sends several. */
export const MAX_MUTATIONS_PER_PUSH = 1000;

/**
 * One queued operation. `args` is checked per mutation on the server (lib/contract/mutations.ts), so one bad
 * mutation is rejected with its reason without failing the push.
 */
export const Mutation = z
  .object({
    /** Increasing per client; the server applies each id once. */
    id: z.number().int().positive(),
    name: z.string().min(1).max(100),
    args: z.unknown(),
  })
  .strict();
export type Mutation = z.infer<typeof Mutation>;

export const PushRequest = z
  .object({
    clientId: Id,
    mutations: z.array(Mutation).max(MAX_MUTATIONS_PER_PUSH),
  })
  .strict()
  .refine((p) => p.mutations.every((m, i) => i === 0 || m.id > p.mutations[i - 1]!.id), {
    message: 'mutation ids must increase',
    path: ['mutations'],
  });
export type PushRequest = z.infer<typeof PushRequest>;

export const MutationResult = z
  .object({
    id: z.number().int(),
    status: z.enum(['applied', 'duplicate', 'rejected']),
    reason: z.string().optional(),
  })
  .strict();
export type MutationResult = z.infer<typeof MutationResult>;

export const PushResponse = z
  .object({ lastMutationId: z.number().int().nonnegative(), results: z.array(MutationResult) })
  .strict();
export type PushResponse = z.infer<typeof PushResponse>;

export const EntityKind = z.enum([
  'sequence',
  'contact',
  'enrollment',
  'task',
  'event',
  'suppression',
  'deal',
  'deal_event',
  'deal_flag',
  'playbook',
]);
export type EntityKind = z.infer<typeof EntityKind>;

/** A changed row; `deleted` rows are tombstones (data is null). */
export const ChangedRow = z
  .object({
    kind: EntityKind,
    id: z.string(),
    version: z.number().int(),
    deleted: z.boolean(),
    data: z.record(z.string(), z.unknown()).nullable(),
    /** The caller's own row (a manager also receives the team's, which stay out of the working tables). */
    mine: z.boolean().optional(),
  })
  .strict();
export type ChangedRow = z.infer<typeof ChangedRow>;

export const PullQuery = z
  .object({
    cursor: z.coerce.number().int().nonnegative().default(0),
    limit: z.coerce.number().int().min(1).max(10_000).default(5000),
  })
  .strict();

export const PullResponse = z
  .object({
    rows: z.array(ChangedRow),
    /** Pass back as `cursor`; rows at or below it have been sent. */
    cursor: z.number().int().nonnegative(),
    /** More rows are waiting: pull again at once. */
    more: z.boolean(),
    /** The last mutation id this client had applied, for the outbox to drop what the server has. */
    lastMutationId: z.number().int().nonnegative().optional(),
  })
  .strict();
export type PullResponse = z.infer<typeof PullResponse>;
