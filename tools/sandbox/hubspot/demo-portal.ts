/**
 * The demo portal: what the HubSpot sandbox holds when `npm start` runs it, matching the people of the demo
 * inbox (tools/sandbox/demo/people.ts). The rep and the colleague are HubSpot owners; Ada and Ben (Acme
 * Analytics) and Grace (Northwind Traders) are contacts with companies and open deals; Tomás (Fabrikam) is a
 * contact with a company and only a lost deal from last year. Tests and the benchmark import the same data
 * (`DEMO_CRM_CONTACTS` etc.) to know what the demo shows. Every name and address is fictitious.
 */
import { COLLEAGUE, PEOPLE, REP } from '../demo/people';
import type { HubSpotSandbox } from './server';

const DAY = 86_400_000;

export interface DemoOwner {
  key: 'rep' | 'colleague';
  email: string;
  firstName: string;
  lastName: string;
}

export const DEMO_CRM_OWNERS: readonly DemoOwner[] = [
  { key: 'rep', email: REP.address, firstName: 'Sam', lastName: 'Rivera' },
  { key: 'colleague', email: COLLEAGUE.address, firstName: 'Priya', lastName: 'Shah' },
];

export type DemoCompanyKey = 'acme' | 'northwind' | 'fabrikam';

export interface DemoCompany {
  key: DemoCompanyKey;
  name: string;
  domain: string;
  industry: string;
  city: string;
}

export const DEMO_CRM_COMPANIES: readonly DemoCompany[] = [
  { key: 'acme', name: PEOPLE.ada.company, domain: 'acme.example', industry: 'Analytics', city: 'London' },
  {
    key: 'northwind',
    name: PEOPLE.grace.company,
    domain: 'northwind.example',
    industry: 'Wholesale',
    city: 'Seattle',
  },
  {
    key: 'fabrikam',
    name: PEOPLE.tomas.company,
    domain: 'fabrikam.example',
    industry: 'Logistics',
    city: 'Madrid',
  },
];

export interface DemoContact {
  key: keyof typeof PEOPLE;
  email: string;
  firstname: string;
  lastname: string;
  jobtitle: string;
  /** HubSpot's internal value of the time zone property (e.g. `europe_slash_london`). */
  hs_timezone: string;
  lifecyclestage: string;
  company: DemoCompanyKey;
  owner: DemoOwner['key'];
  /** Days before the seeding when the contact's last activity was. */
  lastActivityDaysAgo: number;
}

export const DEMO_CRM_CONTACTS: readonly DemoContact[] = [
  {
    key: 'ada',
    email: PEOPLE.ada.address,
    firstname: 'Ada',
    lastname: 'Lovelace',
    jobtitle: 'VP Analytics',
    hs_timezone: 'europe_slash_london',
    lifecyclestage: 'opportunity',
    company: 'acme',
    owner: 'rep',
    lastActivityDaysAgo: 3,
  },
  {
    key: 'ben',
    email: PEOPLE.ben.address,
    firstname: 'Ben',
    lastname: 'Okafor',
    jobtitle: 'Head of Data',
    hs_timezone: 'europe_slash_london',
    lifecyclestage: 'salesqualifiedlead',
    company: 'acme',
    owner: 'rep',
    lastActivityDaysAgo: 3,
  },
  {
    key: 'grace',
    email: PEOPLE.grace.address,
    firstname: 'Grace',
    lastname: 'Hopper',
    jobtitle: 'Head of Sales Operations',
    hs_timezone: 'america_slash_los_angeles',
    lifecyclestage: 'salesqualifiedlead',
    company: 'northwind',
    owner: 'colleague',
    lastActivityDaysAgo: 2,
  },
  {
    key: 'tomas',
    email: PEOPLE.tomas.address,
    firstname: 'Tomás',
    lastname: 'Ruiz',
    jobtitle: 'Operations Manager',
    hs_timezone: 'europe_slash_madrid',
    lifecyclestage: 'lead',
    company: 'fabrikam',
    owner: 'rep',
    lastActivityDaysAgo: 40,
  },
];

export interface DemoDeal {
  key: 'acme-pilot' | 'northwind-seats' | 'fabrikam-2025';
  dealname: string;
  /** A stage of the sandbox's default pipeline ("default"). */
  dealstage: string;
  amount: string;
  /** Days from the seeding to the close date (negative: in the past). */
  closesInDays: number;
  company: DemoCompanyKey;
  contacts: DemoContact['key'][];
  owner: DemoOwner['key'];
}

export const DEMO_CRM_DEALS: readonly DemoDeal[] = [
  {
    key: 'acme-pilot',
    dealname: 'Acme Analytics: two-week pilot',
    dealstage: 'presentationscheduled',
    amount: '12000',
    closesInDays: 30,
    company: 'acme',
    contacts: ['ada', 'ben'],
    owner: 'rep',
  },
  {
    key: 'northwind-seats',
    dealname: 'Northwind Traders: 40 seats',
    dealstage: 'qualifiedtobuy',
    amount: '11520',
    closesInDays: 45,
    company: 'northwind',
    contacts: ['grace'],
    owner: 'colleague',
  },
  {
    key: 'fabrikam-2025',
    dealname: 'Fabrikam: reporting add-on',
    dealstage: 'closedlost',
    amount: '4800',
    closesInDays: -200,
    company: 'fabrikam',
    contacts: ['tomas'],
    owner: 'rep',
  },
];

/** The ids the sandbox gave the seeded records. */
export interface SeededDemoPortal {
  owners: Record<DemoOwner['key'], string>;
  companies: Record<DemoCompanyKey, string>;
  contacts: Record<DemoContact['key'], string>;
  deals: Record<DemoDeal['key'], string>;
}

/** Seeds `hs` (a fresh sandbox) with the demo portal; `now` dates the activity and close dates. */
export function seedDemoPortal(hs: HubSpotSandbox, now = Date.now()): SeededDemoPortal {
  const iso = (ms: number) => new Date(ms).toISOString();
  const owners = Object.fromEntries(
    DEMO_CRM_OWNERS.map((o) => [
      o.key,
      hs.addOwner({ email: o.email, firstName: o.firstName, lastName: o.lastName }).id,
    ]),
  ) as SeededDemoPortal['owners'];
  const companies = Object.fromEntries(
    DEMO_CRM_COMPANIES.map((c) => [
      c.key,
      hs.seed('companies', {
        name: c.name,
        domain: c.domain,
        industry: c.industry,
        city: c.city,
      }),
    ]),
  ) as SeededDemoPortal['companies'];
  const contacts = Object.fromEntries(
    DEMO_CRM_CONTACTS.map((p) => [
      p.key,
      hs.seed(
        'contacts',
        {
          email: p.email,
          firstname: p.firstname,
          lastname: p.lastname,
          company: DEMO_CRM_COMPANIES.find((c) => c.key === p.company)!.name,
          jobtitle: p.jobtitle,
          hs_timezone: p.hs_timezone,
          lifecyclestage: p.lifecyclestage,
          hubspot_owner_id: owners[p.owner],
          notes_last_updated: iso(now - p.lastActivityDaysAgo * DAY),
        },
        [{ type: 'companies', id: companies[p.company] }],
      ),
    ]),
  ) as SeededDemoPortal['contacts'];
  const deals = Object.fromEntries(
    DEMO_CRM_DEALS.map((d) => [
      d.key,
      hs.seed(
        'deals',
        {
          dealname: d.dealname,
          pipeline: 'default',
          dealstage: d.dealstage,
          amount: d.amount,
          closedate: iso(now + d.closesInDays * DAY),
          hubspot_owner_id: owners[d.owner],
        },
        [
          { type: 'companies', id: companies[d.company] },
          ...d.contacts.map((k) => ({ type: 'contacts' as const, id: contacts[k] })),
        ],
      ),
    ]),
  ) as SeededDemoPortal['deals'];
  return { owners, companies, contacts, deals };
}
