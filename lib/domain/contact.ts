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

// In a module of its own, without zod, so the content scripts can use it (components/inbox/people.ts).
export { companyDomainOf } from './company';
