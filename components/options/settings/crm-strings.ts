/** The words of Settings → CRM (crm.tsx, crm-options.tsx). */
export const C = {
  title: 'CRM (HubSpot)',
  intro:
    'Threadline logs every email, reply, task outcome and deal stage to your team’s HubSpot, once each. HubSpot is connected for the whole team on the Threadline backend, which keeps its tokens: the extension never sees them.',
  loading: 'Loading the CRM connection…',
  teamFeature:
    'The CRM bridge is a team feature: it needs the Threadline backend, where an admin connects HubSpot once for everyone. Sign in to your team’s backend first.',
  teamLink: 'Settings → Team & sync',
  keyMissing:
    'The backend cannot store HubSpot’s tokens: CRM_TOKEN_KEY is not set on it. Whoever runs the backend must set CRM_TOKEN_KEY to 32 random bytes in base64 (for example the output of `openssl rand -base64 32`) and restart it; then connect here.',
  notConnected: 'HubSpot is not connected.',
  onlyAdmins: 'An admin of your team connects HubSpot; you see its state here.',
  connectOAuth: 'Connect with HubSpot',
  oauthOpened:
    'HubSpot’s consent page opened in a new tab. Once you allow access there, this page shows the connection.',
  oauthMissing:
    'This backend has no HubSpot app (HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET): connect with a private app’s token instead.',
  tokenLabel: 'Private-app token',
  tokenHint: 'For self-hosted teams: a HubSpot private app’s access token (README, “Connecting HubSpot”).',
  connectToken: 'Connect with a private-app token',
  tokenEmpty: 'Paste the private app’s access token first.',
  connected: 'Connected',
  portal: 'HubSpot account (portal)',
  hubDomain: 'Hub domain',
  kind: 'Connected with',
  kinds: { oauth: 'the Threadline HubSpot app (OAuth)', private_app: 'a private app’s token' },
  connectedAt: 'Connected at',
  portalChange: (previous: string, requeued: number | null) =>
    `Reconnected to another HubSpot portal (was ${previous}): ${
      requeued === null
        ? 'the deals are created in this one at the next sync.'
        : `${requeued === 1 ? '1 deal' : `${requeued.toLocaleString('en')} deals`} queued to be created in this one.`
    }`,
  lastError: 'Last problem',
  disconnect: 'Disconnect HubSpot',
  confirmDisconnect:
    'Disconnect HubSpot? Threadline stops logging to it, and the tokens are revoked where HubSpot allows and deleted.',
  yesDisconnect: 'Yes, disconnect',
  cancel: 'Cancel',
  disconnected: (revoked: boolean) =>
    revoked
      ? 'HubSpot is disconnected; its tokens are revoked.'
      : 'HubSpot is disconnected (a private-app token is revoked in HubSpot itself).',
  syncTitle: 'Logging',
  lastSync: 'Last sync',
  never: 'never',
  waiting: 'Waiting',
  logged: 'Logged',
  skipped: 'Skipped',
  failed: 'Failed',
  usageTitle: 'HubSpot API calls today',
  usage: (used: number, limit: number | null) =>
    limit
      ? `${used.toLocaleString('en')} of ${limit.toLocaleString('en')} (${Math.floor((used / limit) * 100)}%)`
      : `${used.toLocaleString('en')} (HubSpot reports no daily limit for this connection)`,
  usageLabel: 'Share of the daily limit used',
  usageWarning: (pct: number) =>
    `${pct}% of HubSpot’s daily limit is used: logging stops for the day when it is reached, and resumes after midnight UTC.`,
  blocked: (until: string) => `HubSpot’s limit is reached: logging waits until ${until}.`,
  failuresTitle: 'Failures',
  noFailures: 'Nothing failed.',
  failureStates: { failed: 'failed', skipped: 'skipped', pending: 'will retry' },
  attempts: (n: number) => (n === 1 ? '1 attempt' : `${n} attempts`),
  retry: 'Retry',
  retryOne: (kind: string, id: string) => `Retry ${kind} ${id}`,
  retryAll: 'Retry all',
  retried: (n: number) => (n === 1 ? '1 activity queued again.' : `${n} activities queued again.`),
  retriedAfterBlock: (n: number, until: string) =>
    `${n === 1 ? '1 activity' : `${n} activities`} queued again: they go once HubSpot’s daily limit lifts, at ${until}.`,
  failuresForManagers: 'Managers and admins see each failure with HubSpot’s message.',
  optionsTitle: 'Options',
  createContacts:
    'Create a contact in HubSpot for a person it does not have (otherwise their activity is skipped)',
  logPersonal: 'Log people at personal mail providers (gmail.com, outlook.com, …)',
  neverLogTitle: 'Never logged',
  neverLogIntro: (own: string) =>
    `Never logged to HubSpot: your team’s own domain (${own}), personal mail providers unless ticked above, and these addresses or domains:`,
  neverLogEmpty: 'No addresses or domains added.',
  neverLogLabel: 'Address or domain never to log',
  neverLogAdd: 'Add',
  neverLogRemove: (entry: string) => `Remove ${entry}`,
  neverLogBad: (entry: string) =>
    `“${entry}” is neither an address (name@example.com) nor a domain (example.com or @example.com).`,
  saved: 'Saved.',
  dealsTitle: 'Deals',
  dealsEnabled: 'Write Threadline’s deals to HubSpot deals and read their stages back',
  pipelineOf: (name: string) => `HubSpot pipeline for ${name}`,
  stageOf: (stage: string) => `HubSpot stage for ${stage}`,
  stageDefault: 'Default (the usual stage, else the same name)',
  factsSummary: (mapped: number, all: number) =>
    `Playbook facts → HubSpot deal properties (${mapped} of ${all} mapped)`,
  factOf: (label: string) => `HubSpot property for ${label}`,
  factHint: 'A HubSpot deal property’s internal name (leave empty not to write the fact).',
  winsTitle: 'When HubSpot already has a value',
  winsIntro:
    'Threadline only fills empty HubSpot fields, except those ticked here: for them Threadline wins.',
  winsOf: (field: string) => `Threadline wins: ${field}`,
  dealFields: { dealname: 'Deal name', amount: 'Amount', closedate: 'Close date' } as Record<string, string>,
  saveDeals: 'Save deal mapping',
  noPlaybooks: 'No playbooks yet: the stage mapping appears once a playbook exists.',
  ownersTitle: 'Reps and HubSpot owners',
  ownersIntro:
    'Each rep’s activities are logged with their HubSpot owner, matched by email when HubSpot was connected.',
  ownersRepOnly: 'Managers and admins see which HubSpot owner each rep is.',
  member: 'Rep',
  owner: 'HubSpot owner',
  ownerOf: (email: string) => `HubSpot owner for ${email}`,
  noOwner: 'No owner',
  how: 'How',
  byEmail: 'matched by email',
  byAdmin: 'set by an admin',
  readOnly: 'Only an admin changes these.',
} as const;
