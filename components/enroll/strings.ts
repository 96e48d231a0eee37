/** The enroll flow's words about the thread it was opened from (the rest are in ../strings.ts). English, i18n-ready. */
export const enrollThread = {
  replyInThread: 'Reply in this thread',
  replyInThreadHint: (subject: string) =>
    `The first email goes into the conversation you have open, as “${replySubjectText(subject)}”. Untick to start a new email with the sequence’s subject.`,
};

/** Details the CRM filled in (the thread did not show them): the rep sees where each came from and may correct it. */
export const enrollCrm = {
  fromCrm: 'from HubSpot',
  edited: (value: string) => `changed by you (HubSpot has “${value}”)`,
};

function replySubjectText(subject: string): string {
  return /^\s*re\s*:/i.test(subject) ? subject.trim() : `Re: ${subject.trim()}`;
}
