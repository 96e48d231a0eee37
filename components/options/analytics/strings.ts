/** Every user-visible string of the analytics page (English; i18n-ready). Metric names and definitions come from lib/analytics/definitions.ts. */
export const S = {
  title: 'Analytics',
  scopeOwn:
    'Your own results, from this device. Managers see their whole team once the team backend is connected.',
  scopeTeam: 'Your team’s results.',
  updated: 'Updating…',

  filters: 'Filters',
  range: 'Date range',
  lastDays: (n: number) => `Last ${n} days`,
  custom: 'Custom range',
  from: 'From',
  to: 'To',
  apply: 'Apply',
  sequence: 'Sequence',
  allSequences: 'All sequences',
  rep: 'Rep',
  allReps: 'All reps',
  step: 'Step',
  allSteps: 'All steps',
  stepN: (n: number) => `Step ${n}`,
  stepKinds: {
    auto_email: 'Email',
    manual_email: 'Manual email',
    call: 'Call',
    linkedin: 'LinkedIn',
    todo: 'To-do',
  },
  clearFilters: 'Clear filters',
  rangeSummary: (first: string, last: string, zone: string) => `${first} to ${last} (${zone})`,

  loading: 'Loading analytics…',
  errorTitle: 'Analytics could not be loaded',
  retry: 'Retry',
  noDataTitle: 'No results yet',
  noDataHint: 'Enroll contacts from a thread in Gmail or Outlook; results appear here as emails go out.',
  nothingMatchesTitle: 'Nothing matches these filters',
  nothingMatchesHint: 'No enrollments, emails or tasks in this range with this sequence, rep and step.',
  nothingInRangeTitle: (n: number) => `Nothing in the last ${n} days`,
  nothingInRangeHint: 'Results from earlier may be in a longer range.',
  showLonger: 'Show the last 90 days',

  chart: 'Chart',
  table: 'Table',
  viewAs: (title: string) => `${title}: view as`,
  exportCsv: 'Export CSV',
  estimate: 'estimate',
  noRate: 'no data',
  rowsOf: (first: number, last: number, total: number) => `Rows ${first}–${last} of ${total}`,
  previous: 'Previous',
  next: 'Next',
  scrollTable: (title: string) => `${title} table`,

  kpis: 'Summary',
  emailsSent: 'Emails sent',

  funnelTitle: 'Funnel',
  funnelHint:
    'Contacts at each stage; rates are of contacts who received an email. Opens are estimates: images may be blocked, and machine opens (privacy proxies, scanners) are excluded and shown beside.',
  funnelOf: (name: string) => `Funnel: ${name}`,
  contactedBeforeRange: (n: number) =>
    `Contacted is higher than Enrolled: ${n.toLocaleString('en')} ${n === 1 ? 'contact' : 'contacts'} enrolled before this range ${n === 1 ? 'was' : 'were'} emailed in it.`,
  funnelPick: 'Show the funnel of',
  machineOpens: 'Opened incl. machine opens (estimate)',
  ofReached: (rate: string) => `${rate} of reached`,
  sequenceColumn: 'Sequence',
  allSequencesRow: 'All sequences',

  stepsTitle: 'Steps',
  stepsHint:
    'Each step of each sequence: replies, bounces and unsubscribes count against the last email sent before them.',
  stepColumn: 'Step',

  repsTitle: 'Rep leaderboard',
  repsHint: 'Reps by meetings booked, then replies.',
  repColumn: 'Rep',
  topReps: (n: number) => `Top ${n} reps by meetings booked; the table has all of them.`,

  dailyTitle: 'Daily trend',
  dailyHint:
    'Emails count on the day they went out; a contact counts on the day of their first open, reply or meeting.',
  dateColumn: 'Date',

  abTitle: 'A/B tests',
  abHint:
    'Variants of an email step compared on reply rate. A winner is named only at 95% confidence or more.',
  abNone:
    'No A/B tests in this range. Add variants to an email step in the sequence builder to compare them.',
  variant: 'Variant',
  reached: 'Reached',
  replied: 'Replied',
  replyRate: 'Reply rate',
  result: 'Result',
  abVersus: (leader: string, other: string) => `${leader} vs ${other}`,
  pValue: (p: string, method: string) =>
    `p = ${p} (${method === 'fisher' ? 'Fisher’s exact test' : 'z-test'})`,
  leading: 'leading',
  notEnoughData: 'Not enough data yet',
  showAll: (n: number) => `Show all ${n} tests`,
  showFewer: 'Show fewer',

  tasksTitle: 'Task adherence',
  tasksHint:
    'Calls, LinkedIn and to-do tasks due in the range, per rep. On time: done by the end of the day it was due.',
  tasksNone: 'No tasks were due in this range.',
  due: 'Due',
  onTime: 'On time',
  late: 'Late',
  skipped: 'Skipped',
  overdue: 'Overdue',
  pending: 'Pending',
  cancelled: 'Cancelled',
  onTimeRate: 'On-time rate',
  topTaskReps: (n: number) => `The ${n} reps with the most tasks due; the table has all of them.`,
  emptyTable: 'Nothing to show.',
} as const;
