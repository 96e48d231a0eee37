import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import { OptionsApp, type OptionsPage } from '@/components/options/options-app';
import { OPTIONS_CSS } from '@/components/options/styles';
import { SettingsPage } from '@/components/options/settings/settings-page';
import { BackendSection } from '@/components/options/settings/backend';
import { DiagnosticsSection } from '@/components/options/settings/diagnostics';
import { ThreadlineDb } from '@/lib/db/database';
import { createSettingsPort } from '@/lib/options-ports/settings-port';
import { browserAlarm } from '@/lib/platform/alarms';
import { browserRuntime } from '@/lib/platform/runtime';
import { AnalyticsPage } from '@/components/options/analytics/analytics-page';
import { analyticsSourceFor } from '@/lib/options-ports/analytics-source';
import { backendAwareAnalyticsSource } from '@/lib/options-ports/analytics-backend';
import { SequencesPage } from '@/components/options/sequences/sequences-page';
import { createSequencesStore } from '@/lib/options-ports/sequences';
import { send } from '@/lib/protocol/endpoints';
import { allowsLocalHosts } from '@/lib/build/modes';
import { ContactsPage } from '@/components/options/contacts/contacts-page';
import { createContactsPort } from '@/lib/options-ports/contacts';
import { createEnrollmentsPort } from '@/lib/options-ports/enrollments';
import { DealsBoard } from '@/components/options/deals/deals-board';
import { PlaybooksEditor } from '@/components/options/deals/playbooks-editor';
import { ProcessPage } from '@/components/options/deals/process-page';
import { createDealsPort, createPlaybooksPort } from '@/lib/options-ports/deals';
import { backendAwareProcessSource, localProcessSource } from '@/lib/options-ports/process-analytics';

const runtime = browserRuntime();
const settingsPort = createSettingsPort({
  db: new ThreadlineDb(),
  runtime,
  alarm: browserAlarm(),
  zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
});
const analyticsSource = backendAwareAnalyticsSource(
  analyticsSourceFor(new ThreadlineDb(), import.meta.env.MODE === 'test'),
  runtime,
);
const sequencesPort = createSequencesStore(new ThreadlineDb(), {
  // Enrollments moved by an edit may be due earlier: the background runs a tick and re-arms its alarm.
  afterSave: () => send(runtime, 'engine.tick', {}),
});
const contactsPort = createContactsPort({
  db: new ThreadlineDb(),
  zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  act: (enrollmentId, action) => send(runtime, 'enrollment.act', { enrollmentId, action }),
  submit: (req) => send(runtime, 'enroll.submit', { ...req, edits: {} }),
  mailboxes: async () => (await send(runtime, 'accounts.list', {})).map((a) => a.mailbox),
});
const enrollmentsPort = createEnrollmentsPort({
  db: new ThreadlineDb(),
  zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  act: (enrollmentId, action) => send(runtime, 'enrollment.act', { enrollmentId, action }),
  move: (enrollmentIds, toStep) => send(runtime, 'enrollments.move', { enrollmentIds, toStep }),
});
// Deals, playbooks and process analytics (issue 17): a manager or an admin of the team may override and edit.
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
const backendRole = async () => {
  const session = await send(runtime, 'backend.session', {});
  return 'user' in session ? session.user.role : undefined;
};
const dealsPort = createDealsPort({ db: new ThreadlineDb(), zone, role: backendRole });
const playbooksPort = createPlaybooksPort({ db: new ThreadlineDb(), role: backendRole });
const processSource = backendAwareProcessSource(localProcessSource(new ThreadlineDb(), zone), runtime, zone);
const pages: OptionsPage[] = [
  {
    id: 'sequences',
    label: 'Sequences',
    render: ({ rest, navigate }) => (
      <SequencesPage port={sequencesPort} rest={rest} navigate={navigate} enrollments={enrollmentsPort} />
    ),
  },
  {
    id: 'contacts',
    label: 'Contacts',
    render: ({ rest }) => <ContactsPage port={contactsPort} rest={rest} />,
  },
  { id: 'deals', label: 'Deals', render: () => <DealsBoard port={dealsPort} /> },
  { id: 'playbooks', label: 'Playbooks', render: () => <PlaybooksEditor port={playbooksPort} zone={zone} /> },
  {
    id: 'analytics',
    label: 'Analytics',
    render: ({ rest, navigate }) => (
      <AnalyticsPage source={analyticsSource} rest={rest} navigate={navigate} />
    ),
  },
  { id: 'process', label: 'Process', render: () => <ProcessPage source={processSource} /> },
  {
    id: 'settings',
    label: 'Settings',
    render: ({ rest }) => (
      <SettingsPage
        port={settingsPort}
        runtime={runtime}
        rest={rest}
        backend={
          <BackendSection
            runtime={runtime}
            requestOrigin={(origin) => browser.permissions.request({ origins: [`${origin}/*`] })}
            allowHttp={allowsLocalHosts(import.meta.env.MODE)}
          />
        }
        diagnostics={
          <DiagnosticsSection
            runtime={runtime}
            inboxSdkAppId={import.meta.env.WXT_INBOXSDK_APP_ID}
            version={runtime.version()}
            userAgent={navigator.userAgent}
            formatDate={(at) =>
              new Date(at).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })
            }
          />
        }
      />
    ),
  },
];

const style = document.createElement('style');
style.textContent = OPTIONS_CSS;
document.head.append(style);
createRoot(document.getElementById('root')!).render(<OptionsApp pages={pages} />);
