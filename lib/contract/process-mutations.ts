import { z } from 'zod';
import { Id } from '../domain/common';
import { DealEventSchema, DealFlagSchema, DealSchema } from '../domain/deal';
import { PlaybookSchema } from '../domain/playbook';

/**
 * The behavior layer's operations (server/sync/deal-mutations.ts applies them; server/README.md, "Conflicts").
 * A deal upsert is a patch like the other upserts (field-level last-writer-wins in server order); the owner
 * is the caller, stamped by the server. History rows are append-only and idempotent by id; a flag's clearing
 * is final. A playbook is written whole by a manager or an admin and is the team's.
 */
/** Optional deal fields a change can take away (`cleared` in a deal upsert). */
export const DEAL_CLEARABLE = ['companyDomain', 'amount', 'closeDate', 'closedAt', 'crm'] as const;

export const DealUpsert = DealSchema.omit({ ownerId: true })
  .partial()
  .required({ id: true })
  .extend({ cleared: z.array(z.enum(DEAL_CLEARABLE)).max(DEAL_CLEARABLE.length).optional() })
  .strict()
  .refine((p) => !p.cleared?.some((field) => p[field] !== undefined), {
    message: 'a field cannot be both set and cleared',
    path: ['cleared'],
  });

/** What a manager or an admin may change on a teammate's deal: moving it (an override), nothing else. */
export const MANAGER_DEAL_FIELDS = ['stageId', 'stageEnteredAt', 'status', 'closedAt', 'updatedAt'] as const;

export const PROCESS_MUTATIONS = {
  'deal.upsert': DealUpsert,
  'deal.delete': z.object({ dealId: Id }).strict(),
  'dealEvents.record': z.object({ events: z.array(DealEventSchema).min(1).max(1000) }).strict(),
  'dealFlag.upsert': DealFlagSchema,
  'playbook.upsert': PlaybookSchema,
  'playbook.delete': z.object({ playbookId: Id }).strict(),
} as const;
