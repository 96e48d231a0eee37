/**
 * Who is who in the demo: the mailbox the demo inbox shows, its organisation's address book (Outlook resolves a
 * colleague's name from it, the way it shows your own name rather than your address), and the outside people
 * the seeded threads are with. Every name, address and company is fictitious (`.example` domains).
 */
export const DEMO_MAILBOX = 'rep@contoso.example';

export const REP = { name: 'Sam Rivera', address: DEMO_MAILBOX } as const;
export const COLLEAGUE = { name: 'Priya Shah', address: 'priya.shah@contoso.example' } as const;

/** The organisation's address book: names for addresses that mail from the Graph API carries bare. */
export const DIRECTORY: Readonly<Record<string, string>> = {
  [REP.address]: REP.name,
  [COLLEAGUE.address]: COLLEAGUE.name,
};

export const PEOPLE = {
  ada: { name: 'Ada Lovelace', address: 'ada.lovelace@acme.example', company: 'Acme Analytics' },
  ben: { name: 'Ben Okafor', address: 'ben.okafor@acme.example', company: 'Acme Analytics' },
  grace: { name: 'Grace Hopper', address: 'grace@northwind.example', company: 'Northwind Traders' },
  tomas: { name: 'Tomás Ruiz', address: 'tomas.ruiz@fabrikam.example', company: 'Fabrikam' },
} as const;

/**
 * Names the mailbox knows, as Outlook remembers people it has written to: the sandbox keeps only addresses of
 * the recipients of mail sent through its Graph API, so these name them. The organisation's book wins.
 */
export const ADDRESS_BOOK: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.values(PEOPLE).map((p) => [p.address, p.name])),
  ...DIRECTORY,
};

export const named = (p: { name: string; address: string }) => `${p.name} <${p.address}>`;
