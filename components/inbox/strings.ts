/** The inbox glue's own words (the panels' live in components/strings.ts). English shipped, i18n-ready. */
export const glue = {
  loading: 'Loading…',
  unreachable: (detail: string) => `Threadline could not load this: ${detail}`,
  retry: 'Try again',
  rejected: (email: string, message: string) => `${email}: ${message}`,
  enrolled: (n: number) => (n === 1 ? 'Enrolled.' : `${n} contacts enrolled.`),
  sidePanelThread: 'Open in your mail',
  sidePanelNoThread: 'Open an email thread in Gmail or Outlook to see where its people stand.',
  composeButton: 'Enroll recipients in a sequence',
  queuePage: 'Threadline tasks',
  close: 'Close',
  noteTitle: 'Threadline could not find its place on this page.',
  noteAnchor: (client: string) =>
    `${client} may have changed its page. This thread and its actions are in Threadline’s side panel: click the Threadline icon in the browser’s toolbar.`,
  noteSdk:
    'Gmail’s integration (InboxSDK) did not load. The task queue and your threads’ people are in Threadline’s side panel: click the Threadline icon in the browser’s toolbar.',
  noteDetails: 'Details',
  noteDismiss: 'Dismiss',
  addressUnknown: 'address unknown',
  alsoInThread: 'Also in this thread',
  composeNoRecipients:
    'Add the people to enroll in To, Cc or Bcc first. Colleagues at your own company are never enrolled.',
};
