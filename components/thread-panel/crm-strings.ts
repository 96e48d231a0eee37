/** Every user-visible string of the thread panel's CRM parts (same conventions as components/strings.ts). */
export const crmText = {
  heading: 'HubSpot',
  loading: 'Looking these people up in HubSpot…',
  failed: (message: string) => `HubSpot could not be read: ${message}`,
  notInCrm: 'not in HubSpot',
  open: (name: string) => `${name} in HubSpot (opens a new tab)`,
  owner: 'Owner',
  noOwner: 'No owner',
  stage: 'Lifecycle stage',
  lastActivity: 'Last activity',
  none: 'none yet',
  deals: 'Open deals',
  noDeals: 'No open deals',
  dealLine: 'In HubSpot',
  dealStage: (stage: string, pipeline: string) => `${stage} (${pipeline})`,
  dealRemoved: (date: string) => `Removed in HubSpot on ${date} (kept here; not created there again)`,
  filledFromCrm: 'Filled in from HubSpot (check before you enroll):',
  filledFields: (who: string, fields: string[]) => `${who}: ${fields.join(', ')}`,
  fields: { firstName: 'first name', company: 'company', title: 'title', timeZone: 'time zone' } as const,
  lifecycle: {
    subscriber: 'Subscriber',
    lead: 'Lead',
    marketingqualifiedlead: 'Marketing qualified lead',
    salesqualifiedlead: 'Sales qualified lead',
    opportunity: 'Opportunity',
    customer: 'Customer',
    evangelist: 'Evangelist',
    other: 'Other',
  } as Readonly<Record<string, string>>,
};

/** A date as the rep reads it: 30 Nov 2026. */
export const crmDate = (ms: number) =>
  new Date(ms).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
