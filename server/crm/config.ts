/** How the server reaches HubSpot, and the key CRM tokens are sealed with. */
export interface CrmConfig {
  /** 32 bytes (CRM_TOKEN_KEY); without it nothing is stored and connecting answers why. */
  tokenKey?: Uint8Array;
  hubspot: {
    /** https://api.hubapi.com (the sandbox in tests). */
    apiBase: string;
    /** https://app.hubspot.com/oauth/authorize. */
    authorizeUrl: string;
    /** The app's OAuth client (HUBSPOT_CLIENT_ID, HUBSPOT_CLIENT_SECRET); a private-app token needs none. */
    clientId?: string;
    clientSecret?: string;
  };
  /** Tests: their clock for waits. */
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_CRM_CONFIG: CrmConfig = {
  hubspot: { apiBase: 'https://api.hubapi.com', authorizeUrl: 'https://app.hubspot.com/oauth/authorize' },
};

/** The scopes the OAuth app asks for (README, "Connecting HubSpot"). */
export const HUBSPOT_SCOPES = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.companies.read',
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  'crm.objects.owners.read',
  'crm.schemas.contacts.write',
  // The deal bridge creates its unique threadline_deal_id property on deals.
  'crm.schemas.deals.write',
];
