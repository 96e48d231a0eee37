import { z } from 'zod';
import { Email, Id, TimeZone } from './common';

export const ContactSchema = z
  .object({
    id: Id,
    email: Email,
    firstName: z.string().trim().max(100).optional(),
    lastName: z.string().trim().max(100).optional(),
    company: z.string().trim().max(200).optional(),
    /** The company's mail domain; used to unenroll colleagues when one replies. Defaults to the email's domain. */
    domain: z.string().trim().toLowerCase().max(253).optional(),
    title: z.string().trim().max(200).optional(),
    phone: z.string().trim().max(50).optional(),
    linkedinUrl: z.url({ message: 'is not a URL' }).optional(),
    timeZone: TimeZone.optional(),
    /** Free-form fields usable as template tokens: {{custom.industry}}. */
    custom: z.record(z.string().regex(/^[A-Za-z][\w-]*$/), z.string().max(2000)).default({}),
  })
  .strict();
export type Contact = z.infer<typeof ContactSchema>;

/** What a caller provides to create or update a contact (no id yet). */
export const ContactInputSchema = ContactSchema.omit({ id: true }).extend({ id: Id.optional() });
export type ContactInput = z.input<typeof ContactInputSchema>;

const FREE_MAIL = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'yahoo.com',
  'icloud.com',
  'me.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.de',
  'web.de',
]);

/** The company domain of a contact, or undefined for free-mail addresses (colleagues cannot be inferred). */
export function companyDomainOf(contact: Pick<Contact, 'email' | 'domain'>): string | undefined {
  const domain = contact.domain ?? contact.email.split('@')[1];
  if (!domain || FREE_MAIL.has(domain)) return undefined;
  return domain;
}
