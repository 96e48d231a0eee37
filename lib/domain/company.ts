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
export function companyDomainOf(contact: { email: string; domain?: string }): string | undefined {
  const domain = contact.domain ?? contact.email.split('@')[1];
  if (!domain || FREE_MAIL.has(domain)) return undefined;
  return domain;
}
