import { z } from 'zod';

/**
 * Settings → CRM's answers from the backend (server/crm/routes.ts and the route modules it names), shared with
 * the extension's client (lib/protocol/crm-settings.ts). The connection's status is composed on each side (the
 * server adds what the page drops); its parts and the other answers are written once, here. The thread panel's
 * lookup answer is in crm-lookup.ts (zod/mini: content scripts import it).
 */

/** The day's HubSpot API calls and the daily limit HubSpot reports, when it does. */
export const CrmUsage = z.object({
  day: z.string(),
  used: z.number(),
  limit: z.number().nullable(),
  remaining: z.number().nullable(),
  blockedUntil: z.number().nullable(),
});

/** What the CRM outbox holds, by state. */
export const CrmOutboxCounts = z.object({
  waiting: z.number(),
  logged: z.number(),
  skipped: z.number(),
  failed: z.number(),
});

/** What the server is set up for (Settings → CRM says what is missing before an admin tries). */
export const CrmServerSetup = z.object({ tokenKey: z.boolean(), oauth: z.boolean() });

/** The team reconnected to another HubSpot portal: its deals are created again in this one. */
export const CrmPortalChange = z.object({
  /** The portal the deals were linked in before. */
  previousPortalId: z.string(),
  /** When the old links were dropped; null: at the next deal round (moments after connecting). */
  at: z.number().nullable(),
  /** How many deals were queued to be created in the connected portal (null until then). */
  requeued: z.number().nullable(),
});
export type CrmPortalChange = z.infer<typeof CrmPortalChange>;

/** The connection's state: never a token. */
export const CrmConnectionFields = {
  connected: z.boolean(),
  provider: z.literal('hubspot').optional(),
  kind: z.enum(['oauth', 'private_app']).optional(),
  portalId: z.string().optional(),
  hubDomain: z.string().nullable().optional(),
  connectedAt: z.number().optional(),
  lastSyncAt: z.number().nullable().optional(),
  lastError: z.string().nullable().optional(),
  usage: CrmUsage.optional(),
  outbox: CrmOutboxCounts,
  /** Set when this connection is to another portal than the team's deals were linked in. */
  dealsPortalChange: CrmPortalChange.nullable().optional(),
};

/** An activity or deal HubSpot refused, or one skipped, with HubSpot's own message (or why it was skipped). */
export const CrmFailure = z.object({
  id: z.string(),
  kind: z.string(),
  state: z.enum(['failed', 'skipped', 'pending']),
  message: z.string(),
  attempts: z.number(),
  updatedAt: z.number(),
});
export type CrmFailure = z.infer<typeof CrmFailure>;

/** A member of the team and the HubSpot owner they are mapped to. */
export const CrmOwnerRow = z.object({
  userId: z.string(),
  email: z.string(),
  ownerId: z.string().nullable(),
  edited: z.boolean(),
});

/** `GET /crm/owners`: the members and the portal's owners to choose from. */
export const CrmOwners = z.object({
  members: z.array(CrmOwnerRow),
  owners: z.array(z.object({ id: z.string(), email: z.string(), name: z.string() })),
});
export type CrmOwners = z.infer<typeof CrmOwners>;

/** A deal pipeline of the portal with its stages (for the deal mapping). */
export const CrmPipeline = z.object({
  id: z.string(),
  label: z.string(),
  stages: z.array(z.object({ id: z.string(), label: z.string(), closed: z.boolean() })),
});
export type CrmPipeline = z.infer<typeof CrmPipeline>;
