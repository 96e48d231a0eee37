import { z } from 'zod';
import { Role } from '../contract/auth';
import { CrmConnectionFields, CrmFailure, CrmOwners, CrmPipeline, CrmServerSetup } from '../contract/crm';

/**
 * Settings → CRM (lib/background/crm-settings.ts): the team's HubSpot connection as the backend reports it,
 * and the admin's actions on it. The worker makes every call with the rep's backend session; HubSpot's tokens
 * stay on the server and never appear here. Pages only (messages.ts's PAGES_ONLY): a mail page never sends
 * these.
 */

/** A HubSpot internal name (pipeline, stage or property id), as the server accepts it. */
export const HubSpotName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/, { message: 'must be a HubSpot internal name (letters, digits, "_", "-")' });

export const CrmDealMappingView = z.object({
  enabled: z.boolean(),
  pipelines: z.record(
    z.string(),
    z.object({ hubspotPipelineId: z.string(), stages: z.record(z.string(), z.string()) }),
  ),
  facts: z.record(z.string(), z.string()),
  threadlineWins: z.array(z.string()),
});
export type CrmDealMappingView = z.infer<typeof CrmDealMappingView>;

/** The admin's options (server/crm/settings.ts CrmSettings); fields the server adds later are dropped here. */
export const CrmSettingsView = z.object({
  createContacts: z.boolean(),
  logPersonalDomains: z.boolean(),
  neverLog: z.array(z.string()),
  deals: CrmDealMappingView.optional(),
});
export type CrmSettingsView = z.infer<typeof CrmSettingsView>;

export const CrmStatusView = z.object({
  ...CrmConnectionFields,
  settings: CrmSettingsView.optional(),
  /** What the server is set up for: CRM_TOKEN_KEY present; an OAuth app (client id and secret) present. */
  server: CrmServerSetup.optional(),
});
export type CrmStatusView = z.infer<typeof CrmStatusView>;

export const CrmFailureView = CrmFailure;
export type CrmFailureView = z.infer<typeof CrmFailureView>;

export const CrmOwnersView = CrmOwners;
export type CrmOwnersView = z.infer<typeof CrmOwnersView>;

export const CrmPipelineView = CrmPipeline;
export type CrmPipelineView = z.infer<typeof CrmPipelineView>;

/** What Settings → CRM opens with: whether a backend session is there, and if so the connection. */
export const CrmOverview = z.discriminatedUnion('session', [
  z.object({ session: z.literal('none'), backendUrl: z.string().optional() }).strict(),
  z
    .object({
      session: z.literal('signedIn'),
      backendUrl: z.string(),
      role: Role,
      email: z.string(),
      status: CrmStatusView,
    })
    .strict(),
]);
export type CrmOverview = z.infer<typeof CrmOverview>;

const Empty = z.object({}).strict();

export const CRM_SETTINGS_MESSAGES = {
  'crmSettings.overview': { request: Empty, response: CrmOverview },
  /** Starts the OAuth code flow on the backend and opens HubSpot's consent page in a new tab. */
  'crmSettings.authorize': { request: Empty, response: z.object({ url: z.string() }).strict() },
  'crmSettings.privateApp': {
    request: z.object({ token: z.string().trim().min(10).max(1000) }).strict(),
    response: CrmStatusView,
  },
  'crmSettings.disconnect': { request: Empty, response: z.object({ revoked: z.boolean() }) },
  'crmSettings.save': {
    request: z
      .object({
        createContacts: z.boolean().optional(),
        logPersonalDomains: z.boolean().optional(),
        neverLog: z.array(z.string().trim().toLowerCase().min(3).max(320)).max(1000).optional(),
        deals: z
          .object({
            enabled: z.boolean(),
            pipelines: z.record(
              z.string().min(1).max(200),
              z
                .object({
                  hubspotPipelineId: HubSpotName,
                  stages: z.record(z.string().min(1).max(200), HubSpotName),
                })
                .strict(),
            ),
            facts: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,59}$/), HubSpotName),
            threadlineWins: z.array(HubSpotName).max(200),
          })
          .strict()
          .optional(),
      })
      .strict(),
    response: CrmSettingsView,
  },
  'crmSettings.owners': { request: Empty, response: CrmOwnersView },
  'crmSettings.setOwner': {
    request: z
      .object({
        userId: z.string().min(1).max(200),
        ownerId: z
          .string()
          .regex(/^\d{1,20}$/)
          .nullable(),
      })
      .strict(),
    response: z.object({ userId: z.string(), ownerId: z.string().nullable() }),
  },
  'crmSettings.pipelines': { request: Empty, response: z.object({ pipelines: z.array(CrmPipelineView) }) },
  'crmSettings.failures': { request: Empty, response: z.object({ failures: z.array(CrmFailureView) }) },
  'crmSettings.retry': {
    request: z.object({ ids: z.array(z.string().max(300)).max(1000).optional() }).strict(),
    /** `blockedUntil`: HubSpot's daily limit holds them until then (a retry does not lift it). */
    response: z.object({ retried: z.number(), blockedUntil: z.number().nullable().optional() }),
  },
} as const;
