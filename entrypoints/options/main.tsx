import { lazy } from 'react';
import { createRoot } from 'react-dom/client';
import { OptionsApp, parseHash, type OptionsPage } from '@/components/options/options-app';
import { OPTIONS_CSS } from '@/components/options/styles';
import { ThreadlineDb } from '@/lib/db/database';
import { createSettingsPort } from '@/lib/options-ports/settings-port';
import { browserAlarm } from '@/lib/platform/alarms';
import { browserPermissions } from '@/lib/platform/permissions';
import { browserRuntime } from '@/lib/platform/runtime';
import { analyticsSourceFor } from '@/lib/options-ports/analytics-source';
import { backendAwareAnalyticsSource } from '@/lib/options-ports/analytics-backend';
import { SequencesPage } from '@/components/options/sequences/sequences-page';
import { createSequencesStore } from '@/lib/options-ports/sequences';
import { send } from '@/lib/protocol/endpoints';
import { allowsLocalHosts } from '@/lib/build/modes';
import { createContactsPort } from '@/lib/options-ports/contacts';
import { createEnrollmentsPort } from '@/lib/options-ports/enrollments';
import { createDealsPort, createPlaybooksPort, withFirstLoadStarted } from '@/lib/options-ports/deals';
import { createAutomationsPort } from '@/lib/options-ports/automation-switch';
import { backendAwareProcessSource, localProcessSource } from '@/lib/options-ports/process-analytics';

// Every tab but the first loads its code when opened (OptionsApp's Suspense shows a loading line
// meanwhile), so the page a rep lands on (the Sequences list or a sequence's Enrollments view) parses only
// its own.
const SettingsPage = lazy(() =>
  import('@/components/options/settings/settings-page').then((m) => ({ default: m.SettingsPage })),
);
const BackendSection = lazy(() =>
  import('@/components/options/settings/backend').then((m) => ({ default: m.BackendSection })),
);
const CrmSection = lazy(() =>
  import('@/components/options/settings/crm').then((m) => ({ default: m.CrmSection })),
);
const DiagnosticsSection = lazy(() =>
  import('@/components/options/settings/diagnostics').then((m) => ({ default: m.DiagnosticsSection })),
);
const AnalyticsPage = lazy(() =>
  import('@/components/options/analytics/analytics-page').then((m) => ({ default: m.AnalyticsPage })),
);
const ContactsPage = lazy(() =>
  import('@/components/options/contacts/contacts-page').then((m) => ({ default: m.ContactsPage })),
);
const DealsBoard = lazy(() =>
  import('@/components/options/deals/deals-board').then((m) => ({ default: m.DealsBoard })),
);
// Opened on the Deals board: its code and its deals load at once, side by side, and the page renders once the
// code is here (a lazy tab revealed through Suspense waits for React's reveal throttle, 300 ms).
const opensOn = parseHash(location.hash)[0];
const dealsBoardFirst =
  opensOn === 'deals'
    ? import('@/components/options/deals/deals-board').then((m) => m.DealsBoard)
    : undefined;
let DealsBoardNow: Awaited<typeof dealsBoardFirst>;
const PlaybooksEditor = lazy(() =>
  import('@/components/options/deals/playbooks-editor').then((m) => ({ default: m.PlaybooksEditor })),
);
const ProcessPage = lazy(() =>
  import('@/components/options/deals/process-page').then((m) => ({ default: m.ProcessPage })),
);
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
const dealsPort = createDealsPort({
  db: new ThreadlineDb(),
  zone,
  role: backendRole,
  // Through the background, so a stage's entry automations run as they do from the thread panel.
  move: (req) => send(runtime, 'deal.move', req),
});
const boardPort = dealsBoardFirst ? withFirstLoadStarted(dealsPort) : dealsPort;
const playbooksPort = createPlaybooksPort({ db: new ThreadlineDb(), role: backendRole });
const automationsPort = createAutomationsPort(new ThreadlineDb());
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
  {
    id: 'deals',
    label: 'Deals',
    render: () => (DealsBoardNow ? <DealsBoardNow port={boardPort} /> : <DealsBoard port={boardPort} />),
  },
  {
    id: 'playbooks',
    label: 'Playbooks',
    render: () => <PlaybooksEditor port={playbooksPort} automations={automationsPort} zone={zone} />,
  },
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
            requestOrigin={(origin) => browserPermissions().requestOrigin(origin)}
            allowHttp={allowsLocalHosts(import.meta.env.MODE)}
          />
        }
        crm={
          <CrmSection
            runtime={runtime}
            playbooks={async () =>
              (await playbooksPort.load()).playbooks.map((p) => ({
                pipelineId: p.pipelineId,
                name: p.name,
                stages: p.stages.map((s) => ({ id: s.id, name: s.name })),
                facts: p.facts.map((f) => ({ key: f.key, label: f.label })),
              }))
            }
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
const root = createRoot(document.getElementById('root')!);
if (dealsBoardFirst)
  void dealsBoardFirst.then(
    (board) => {
      DealsBoardNow = board;
      root.render(<OptionsApp pages={pages} />);
    },
    () => root.render(<OptionsApp pages={pages} />),
  );
else root.render(<OptionsApp pages={pages} />);
