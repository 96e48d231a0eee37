import type { StepType } from '../../../lib/domain/sequence';

/**
 * Every user-visible string of the Sequences page. English ships; a translation replaces these values (counts
 * are functions so plural rules and word order can change per language).
 */
export const LOCALE = 'en-GB';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export const stepKinds: Record<StepType, string> = {
  auto_email: 'Automatic email',
  manual_email: 'Manual email',
  call: 'Call',
  linkedin: 'LinkedIn',
  todo: 'To-do',
};

export const s = {
  pageTitle: 'Sequences',
  newSequence: 'New sequence',
  search: 'Search sequences',
  showArchived: 'Show archived',
  emptyTitle: 'Create your first sequence',
  emptyBody:
    'A sequence is a series of emails and tasks that goes out from your own mailbox and stops when the contact replies. Start with an email and a follow-up.',
  noMatch: (q: string) => `No sequence matches "${q}".`,
  colName: 'Name',
  colOwner: 'Owner',
  colSharing: 'Shared',
  colSteps: 'Steps',
  colActive: 'Active',
  colReply: 'Reply rate',
  colMeeting: 'Meeting rate',
  colActions: 'Actions',
  you: 'You',
  /** A colleague's sequence shared with the team (the backend names its owner by member id only). */
  teammate: 'A teammate',
  team: 'Team',
  private: 'Private',
  shareWithTeam: (name: string) => `Share "${name}" with the team`,
  makePrivate: (name: string) => `Make "${name}" private`,
  shareLabel: 'Share',
  privateLabel: 'Make private',
  duplicate: 'Duplicate',
  duplicateOf: (name: string) => `Duplicate "${name}"`,
  copyName: (name: string) => `Copy of ${name}`,
  archive: 'Archive',
  archiveOf: (name: string) => `Archive "${name}"`,
  unarchive: 'Unarchive',
  unarchiveOf: (name: string) => `Unarchive "${name}"`,
  archived: 'Archived',
  rate: (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(r < 0.1 ? 1 : 0)}%`),
  rateTitle: (reached: number) => `Of ${plural(reached, 'contact', 'contacts')} who got an email`,
  stepsCount: (n: number) => plural(n, 'step', 'steps'),

  // Builder
  allSequences: '← All sequences',
  builderNew: 'New sequence',
  builderEdit: 'Edit sequence',
  loading: 'Loading…',
  notFound: 'This sequence does not exist (any more).',
  name: 'Sequence name',
  namePlaceholder: 'e.g. Webinar follow-up',
  steps: 'Steps',
  addStep: 'Add a step',
  addStepOf: (kind: string) => `Add: ${kind}`,
  stepTitle: (n: number, kind: string) => `Step ${n} · ${kind}`,
  stepHeading: (n: number) => `Step ${n}`,
  expandStep: (n: number) => `Edit step ${n}`,
  moveUp: (n: number) => `Move step ${n} up`,
  moveDown: (n: number) => `Move step ${n} down`,
  removeStep: (n: number) => `Remove step ${n}`,
  up: 'Up',
  down: 'Down',
  remove: 'Remove',
  undoRemove: 'Undo remove',
  removedStep: (n: number, kind: string) => `Step ${n} (${kind}) removed.`,
  delayFirst: 'Wait after enrolling',
  delayNext: 'Wait after the previous step',
  delayValue: 'Wait',
  delayUnit: 'Unit',
  units: { minutes: 'minutes', hours: 'hours', days: 'days', business_days: 'business days' },
  delaySummary: (value: number, unit: string, first: boolean) =>
    value === 0 ? (first ? 'right after enrolling' : 'right after') : `after ${value} ${unit}`,
  subject: 'Subject',
  subjectThreaded: 'Subject (ignored while this email replies in the thread)',
  body: 'Body',
  threadWithPrevious: 'Reply in the thread of the previous email',
  taskTitle: 'Task title',
  notes: 'Notes',
  priority: 'Priority',
  priorities: { low: 'Low', medium: 'Medium', high: 'High' },
  callScript: 'Call script',
  linkedinAction: 'LinkedIn action',
  linkedinActions: {
    connect: 'Send a connection request',
    message: 'Send a message',
    view_profile: 'View the profile',
  },
  linkedinMessage: 'Message',
  untitled: '(no subject yet)',
  inThread: (excerpt: string) => `In the thread: ${excerpt}`,
  emptyEmail: '(empty so far)',
  noTitle: '(no title yet)',

  // Tokens
  tokens: 'Personalise',
  token: 'Token',
  fallback: 'Fallback if empty',
  insertToken: 'Insert token',
  insertInto: (field: string) => `Inserts into the ${field.toLowerCase()} at the cursor.`,
  tokenLabels: {
    'contact.firstName': 'First name',
    'contact.lastName': 'Last name',
    'contact.fullName': 'Full name',
    'contact.email': 'Email',
    'contact.title': 'Job title',
    'contact.phone': 'Phone',
    'company.name': 'Company',
    'company.domain': 'Company domain',
    'rep.name': 'Your name',
    'rep.firstName': 'Your first name',
    'rep.email': 'Your email',
    'rep.signature': 'Your signature',
  } as Record<string, string>,
  customField: (key: string) => `Custom: ${key}`,

  // Editor
  editorToolbar: 'Formatting',
  bold: 'Bold',
  italic: 'Italic',
  bulletList: 'Bulleted list',
  orderedList: 'Numbered list',

  // Variants
  variants: 'A/B test',
  addVariant: 'Add a variant',
  startAb: 'Test another version (A/B)',
  variantTab: (label: string) => `Version ${label}`,
  removeVariant: (label: string) => `Remove version ${label}`,
  variantHint: 'Each contact gets one version, chosen at random and kept. Up to 3.',
  variantResult: (sent: number, replied: number, rate: number | null) =>
    `${plural(sent, 'contact', 'contacts')} reached · ${replied} replied${rate === null ? '' : ` (${(rate * 100).toFixed(0)}%)`}`,
  noResults: 'No results yet',

  // Preview
  preview: 'Preview',
  previewAs: 'Preview as',
  sampleContact: 'Sample contact (Jordan Lee)',
  previewSubject: 'Subject',
  previewReply: (subject: string) => `Re: ${subject}`,
  missingToken: (token: string) => `No value for {{${token}}}: this contact's enrollment would pause here.`,

  // Schedule
  schedule: 'Schedule preview',
  scheduleHint:
    'When each step happens for this contact, computed by the same engine that sends: send window, weekdays, holidays, caps and spacing. Tasks are counted as done when due.',
  scheduleZone: "Contact's time zone",
  scheduleStart: 'Enrolled at (your clock)',
  scheduleStep: 'Step',
  scheduleContactClock: "Contact's clock",
  scheduleRepClock: 'Your clock',
  scheduleInvalid: 'Fix the problems listed above to see the schedule.',
  scheduleWindowOn: (zone: string) => `Send window read on ${zone}.`,
  taskDue: 'task due',
  emailSends: 'email sent',

  // Settings
  settings: 'Sending settings',
  settingsHint: 'The engine applies these to every enrollment of this sequence.',
  windowStart: 'Send window starts',
  windowEnd: 'Send window ends',
  timeZoneBasis: 'Read the window on',
  basisContact: "the contact's clock (yours when unknown)",
  basisRep: 'your clock',
  weekdaysOnly: 'Send on weekdays only',
  holidays: 'Holidays (YYYY-MM-DD, comma separated)',
  dailyCap: 'Emails per day (max)',
  perMinuteCap: 'Emails per minute (max)',
  spacing: 'Seconds between emails (min)',
  tasksBlock: 'Wait for each task to be done before the next step',
  unenrollCompany: 'Stop for colleagues at the same company when one replies',

  // Validation and saving
  save: 'Save sequence',
  saving: 'Saving…',
  saved: 'Saved.',
  saveFailed: (why: string) => `Not saved: ${why}. Your changes are still here.`,
  problems: (n: number) => `${plural(n, 'problem', 'problems')} to fix before saving`,
  fieldName: 'Name',
  fieldSettings: 'Settings',
  fieldOf: (step: number, field: string) => `Step ${step} · ${field}`,
  errName: 'Give the sequence a name.',
  errNoSteps: 'Add at least one step.',
  errFirstSubject: 'The first email needs a subject (follow-ups reply in its thread).',
  errSubject: 'This email starts a new thread, so it needs a subject.',
  errVariantSubject: (label: string) => `Version ${label} of the first email needs a subject.`,
  errUnknownToken: (token: string) => `Unknown token {{${token}}}.`,
  errDelay: 'Enter a whole number from 0 to 365.',
  errWindow: 'The send window must end after it starts.',
  errNumber: (min: number, max: number) => `Enter a whole number from ${min} to ${max}.`,
  errHoliday: 'Dates must be written as YYYY-MM-DD.',
  conflictRemoved: (n: number) =>
    `${plural(n, 'active enrollment has', 'active enrollments have')} already done this step, so it cannot be removed while they run. Duplicate the sequence to make a new version instead.`,
  conflictMoved: (n: number) =>
    `Moving this step above one that ${plural(n, 'active enrollment has', 'active enrollments have')} already done would skip it for them. Move it lower.`,
  conflictBusy: (n: number) =>
    `${plural(n, 'active enrollment is', 'active enrollments are')} in the middle of this step (an email being sent or a task waiting). Leave it in place, or try again later.`,
  impact: (n: number) =>
    `Saving changes ${plural(n, 'active enrollment', 'active enrollments')}: they continue with the steps they have not reached yet. Steps they already did are not sent again, and their own edited emails are kept.`,
};
