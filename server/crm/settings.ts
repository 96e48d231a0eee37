/** The admin's CRM settings and the never-log rules. Pure. */
import { z } from 'zod';
import { CONTACT_FIELDS } from './provider';

/** A HubSpot internal name (a pipeline or stage id, a property name). */
const HubSpotName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/, { message: 'must be a HubSpot internal name (letters, digits, "_", "-")' });

/** The HubSpot deal fields a mapping may let Threadline overwrite when HubSpot already has a value. */
export const DEAL_FIELDS = ['dealname', 'amount', 'closedate'] as const;

/** One Threadline pipeline (a playbook's pipelineId) → a HubSpot deal pipeline and its stages. */
export const CrmPipelineMapping = z
  .object({
    /** HubSpot's pipeline id; `default` is the portal's "Sales Pipeline". */
    hubspotPipelineId: HubSpotName.default('default'),
    /** Threadline stage id → HubSpot stage id. A stage not listed falls back to the defaults (deals.ts). */
    stages: z.record(z.string().min(1).max(200), HubSpotName).default({}),
  })
  .strict();
export type CrmPipelineMapping = z.infer<typeof CrmPipelineMapping>;

/**
 * The deal mapping. A pipeline not listed maps to HubSpot's default pipeline, stage by stage: the shipped
 * playbook's stages to the default pipeline's stages (DEFAULT_STAGE_MAP), any other stage to the HubSpot stage
 * with the same label. `facts` names the HubSpot deal property each playbook fact is written to (facts not
 * listed are not written). `threadlineWins` lists the fields (dealname, amount, closedate or a mapped
 * property) Threadline overwrites even when HubSpot holds a value; any other field is only filled when empty.
 */
export const CrmDealMapping = z
  .object({
    /** Write deals to HubSpot and read their stages back. */
    enabled: z.boolean().default(true),
    /** Threadline pipeline id → the HubSpot pipeline and stages. */
    pipelines: z.record(z.string().min(1).max(200), CrmPipelineMapping).default({}),
    /** Playbook fact key → HubSpot deal property name. */
    facts: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,59}$/), HubSpotName).default({}),
    threadlineWins: z.array(HubSpotName).max(200).default([]),
  })
  .strict();
export type CrmDealMapping = z.infer<typeof CrmDealMapping>;

/** The shipped playbook's stages (lib/process/default-playbook.ts) on HubSpot's default "Sales Pipeline". */
export const DEFAULT_STAGE_MAP: Readonly<Record<string, string>> = {
  discovery: 'appointmentscheduled',
  qualified: 'qualifiedtobuy',
  demo: 'presentationscheduled',
  proposal: 'contractsent',
  negotiation: 'decisionmakerboughtin',
  won: 'closedwon',
  lost: 'closedlost',
};

export const CrmSettings = z
  .object({
    /** Create a HubSpot contact for a person it does not have (else their activities are skipped). */
    createContacts: z.boolean().default(false),
    /** Contact fields Threadline overwrites in HubSpot; any other is only filled where HubSpot has it empty. */
    contactsThreadlineWins: z.array(z.enum(CONTACT_FIELDS)).max(CONTACT_FIELDS.length).default([]),
    /** Log mail with addresses at personal mail providers (gmail.com, outlook.com, ...). */
    logPersonalDomains: z.boolean().default(false),
    /** Addresses or domains (`@example.com` or `example.com`) never logged. */
    neverLog: z.array(z.string().trim().toLowerCase().min(3).max(320)).max(1000).default([]),
    /** How Threadline's deals map to HubSpot deals (deals.ts); every part optional. */
    deals: CrmDealMapping.default(() => CrmDealMapping.parse({})),
  })
  .strict();
export type CrmSettings = z.infer<typeof CrmSettings>;

export const DEFAULT_SETTINGS: CrmSettings = CrmSettings.parse({});

/** Personal mail providers: a person writing from one is not a company's contact. */
export const PERSONAL_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'yahoo.co.uk',
  'ymail.com',
  'outlook.com',
  'hotmail.com',
  'hotmail.co.uk',
  'live.com',
  'msn.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'pm.me',
  'gmx.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  'yandex.com',
  'yandex.ru',
  'mail.ru',
  'zoho.com',
  'fastmail.com',
  'hey.com',
  'qq.com',
  '163.com',
]);

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/** Why an address is never logged, or undefined when it may be. */
export function neverLogReason(
  email: string,
  settings: CrmSettings,
  teamDomains: ReadonlySet<string>,
): string | undefined {
  const address = email.trim().toLowerCase();
  const domain = domainOf(address);
  if (teamDomains.has(domain)) return `${domain} is the team’s own domain`;
  if (!settings.logPersonalDomains && PERSONAL_DOMAINS.has(domain))
    return `${domain} is a personal mail provider`;
  for (const entry of settings.neverLog) {
    const d = entry.replace(/^@/, '');
    if (entry === address || (!entry.includes('@') || entry.startsWith('@') ? d === domain : false))
      return `${entry} is on the never-log list`;
  }
  return undefined;
}
