/**
 * What the CRM bridge asks of a CRM, whichever it is: HubSpot first (hubspot/provider.ts); Salesforce can
 * follow by implementing the same interface. Activities carry a deterministic id so that logging one twice
 * (a retry after a crash, a lost answer) never makes two records in the CRM.
 */

export type ActivityKind = 'email' | 'note' | 'call' | 'task' | 'meeting';

export interface Person {
  email: string;
  firstName?: string;
  lastName?: string;
}

export interface CrmContactHint extends Person {
  company?: string;
  title?: string;
  phone?: string;
  /** The company's mail domain (the contact's own when unknown). */
  domain?: string;
}

interface Base {
  /** Deterministic: the same touch always gets the same id (`email:sent:<outbox row>` ...). */
  id: string;
  /** Epoch ms: the timeline position. */
  at: number;
  /** The rep's CRM owner id, when mapped. */
  ownerId?: string;
  contact: CrmContactHint;
  /** The CRM deal ids to associate (from the behavior layer's deal link; none until deals sync). */
  dealIds?: string[];
}

export type CrmActivity = Base &
  (
    | {
        kind: 'email';
        direction: 'outgoing' | 'incoming';
        subject: string;
        text?: string;
        html?: string;
        from: Person;
        to: Person[];
      }
    | { kind: 'note'; body: string }
    | {
        kind: 'call';
        title: string;
        body?: string;
        /** Threadline's outcome word: connected, no_answer, left_voicemail, busy, wrong_number, left_message. */
        outcome?: string;
      }
    | {
        kind: 'task';
        subject: string;
        body?: string;
        taskType: 'EMAIL' | 'CALL' | 'TODO' | 'LINKED_IN_MESSAGE' | 'LINKED_IN_CONNECT';
        completed: boolean;
      }
    | { kind: 'meeting'; title: string; body?: string; start: number; end?: number }
  );

export type LogOutcome =
  | { id: string; status: 'logged'; crmId: string; duplicate?: boolean }
  /** Not logged and not to be retried as is: the contact is not in the CRM and creating it is off, ... */
  | { id: string; status: 'skipped'; reason: string }
  | { id: string; status: 'failed'; message: string; retryable: boolean };

export interface CrmOwner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
}

export interface LogOptions {
  /** Create a contact the CRM does not have (the admin's setting); otherwise the activity is skipped. */
  createContacts: boolean;
  /**
   * The contact's own fields (CONTACT_FIELDS) Threadline overwrites when the CRM holds another value; any other
   * is only filled where the CRM has it empty.
   */
  contactFieldsThreadlineWins?: readonly string[];
  /**
   * CRM contact ids by lower-case email resolved ahead (resolveContacts, before the deal round, so deals
   * associate with the contacts their activities create); only the other contacts are looked up.
   */
  contacts?: ReadonlyMap<string, string>;
  /**
   * Each CRM contact's company (null: none) read ahead in the same round (contactCompanies); only the
   * companies of contacts not in it are read.
   */
  companies?: ReadonlyMap<string, string | null>;
}

/** The contact fields Threadline knows (from the enroll form or the thread) and writes to a CRM contact. */
export const CONTACT_FIELDS = ['firstname', 'lastname', 'company', 'jobtitle', 'phone'] as const;

export interface CrmProvider {
  readonly name: 'hubspot';
  /** Once on connect: the custom property that carries the activity ids, and how each object dedupes. */
  prepare(): Promise<DedupeModes>;
  logActivities(activities: CrmActivity[], options: LogOptions): Promise<LogOutcome[]>;
  /** The CRM contact ids of the activities' contacts by lower-case email, created where allowed. */
  resolveContacts(activities: CrmActivity[], options: LogOptions): Promise<Map<string, string>>;
  /** Each of these CRM contacts' company (the primary one), null for a contact with none. */
  contactCompanies(contactIds: string[]): Promise<Map<string, string | null>>;
  /** A permanent bounce or an unsubscribe: the CRM's do-not-contact state, where a client may set it. */
  markDoNotContact(email: string, reason: string): Promise<'set' | 'not_supported' | 'no_contact'>;
  owners(): Promise<CrmOwner[]>;
  /** The thread panel's read: the contacts with these emails (those the CRM has) and their deals' ids. */
  lookupContacts(emails: string[]): Promise<CrmContactRecord[]>;
  /** Deals by CRM id (those that exist). */
  lookupDeals(ids: string[]): Promise<CrmDealRecord[]>;
  /** The deal pipelines with their stages (a stage id to its label). */
  lookupPipelines(): Promise<CrmPipeline[]>;
  /** The address of a record in the CRM's own web app. */
  recordUrl(
    account: { portalId: string; hubDomain: string | null },
    object: 'contact' | 'deal',
    id: string,
  ): string;
}

/** A CRM contact as the thread panel shows it (lookupContacts). Dates are epoch ms. */
export interface CrmContactRecord {
  id: string;
  email: string;
  firstName?: string;
  lastName?: string;
  ownerId?: string;
  lifecycleStage?: string;
  lastActivityAt?: number;
  company?: string;
  jobTitle?: string;
  /** The CRM's time zone value as stored (HubSpot: `us_slash_eastern`). */
  timeZone?: string;
  /** Associated deals' ids. */
  dealIds: string[];
}

export interface CrmDealRecord {
  id: string;
  name: string;
  pipelineId: string;
  stageId: string;
  amount?: string;
  closeDate?: number;
  ownerId?: string;
  /** The Threadline deal it was written from (the deal bridge's link), when it was. */
  threadlineDealId?: string;
}

export interface CrmPipeline {
  id: string;
  label: string;
  stages: { id: string; label: string; closed: boolean; displayOrder: number }[];
}

/** Per activity object: a unique property (a repeat is refused) or search-before-create. */
export type DedupeModes = Record<ActivityKind, 'unique' | 'search'>;

/** A CRM error, with the CRM's own message (shown to the admin). */
export class CrmError extends Error {
  override name = 'CrmError';
  constructor(
    message: string,
    readonly status: number,
    readonly retryable: boolean,
    readonly category?: string,
  ) {
    super(message);
  }
}

/** The daily request limit is reached: nothing more until it resets. */
export class CrmDailyLimitError extends CrmError {
  override name = 'CrmDailyLimitError';
}
