/** The admin's CRM settings and the never-log rules. Pure. */
import { z } from 'zod';

export const CrmSettings = z
  .object({
    /** Create a HubSpot contact for a person it does not have (else their activities are skipped). */
    createContacts: z.boolean().default(false),
    /** Log mail with addresses at personal mail providers (gmail.com, outlook.com, ...). */
    logPersonalDomains: z.boolean().default(false),
    /** Addresses or domains (`@example.com` or `example.com`) never logged. */
    neverLog: z.array(z.string().trim().toLowerCase().min(3).max(320)).max(1000).default([]),
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
