/** Settings → Diagnostics, in English (i18n-ready like strings.ts). */
export const D = {
  title: 'Diagnostics',
  hint: 'When Gmail or Outlook changes its page, Threadline may miss a place it relies on. Each miss is listed here (the mail site, which anchor, the kind of page, the extension’s version; never addresses, subjects or bodies) so you can send it in a bug report.',
  none: 'No problems recorded on this device.',
  columns: {
    when: 'Last seen',
    host: 'Mail site',
    anchor: 'Anchor',
    page: 'Page',
    version: 'Version',
    count: 'Times',
  },
  copy: 'Copy for a bug report',
  copied: 'Copied. Paste it into your bug report.',
  clear: 'Clear',
  sdkTitle: 'Gmail (InboxSDK)',
  sdkOk: 'This build carries an InboxSDK app id.',
  sdkMissing:
    'This build has no InboxSDK app id, so Threadline may not load in Gmail. Register an app with InboxSDK’s makers, then build with WXT_INBOXSDK_APP_ID set (in the environment or a .env file at the repository’s root, e.g. WXT_INBOXSDK_APP_ID=sdk_yourapp_0123456789), rebuild and reload the extension.',
  sdkInvalid: (id: string) =>
    `The InboxSDK app id this build carries (“${id}”) is not of the form sdk_<name>_<10 hexadecimal digits> that InboxSDK checks. Set WXT_INBOXSDK_APP_ID to the id InboxSDK’s makers registered for you, rebuild and reload the extension.`,
  sdkFailed: (when: string) =>
    `InboxSDK did not load in Gmail (last on ${when}). Reload Gmail; if it keeps happening, copy the list below into a bug report.`,
  edge: 'This is Microsoft Edge 150 or later, which has blocked extensions on *.cloud.microsoft for a while (microsoft/MicrosoftEdge-Extensions #644). If your mailbox is at outlook.cloud.microsoft and no Threadline panel appears there, use the side panel, or Outlook at outlook.office.com if your account allows it.',
  pages: {
    conversation: 'conversation',
    'pop-out': 'pop-out reader',
    compose: 'compose',
    gmail: 'Gmail',
  } as Record<string, string>,
};
