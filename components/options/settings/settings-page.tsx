import { useEffect, useState, type ReactNode } from 'react';
import type { Runtime } from '@/lib/protocol/endpoints';
import { ContactsImportSection } from './contacts-import';
import { C } from './crm-strings';
import { D } from './diagnostics-strings';
import { DefaultsSection } from './defaults';
import { DoNotContactSection } from './do-not-contact';
import { downloadFile, type SaveFile } from './download';
import { HolidaysSection } from './holidays';
import { AccountsSection } from './mailboxes';
import type { SettingsPort } from '../../../lib/options-ports/interfaces/settings';
import { S } from './strings';
import { SETTINGS_CSS } from './styles';
import { UnsubscribeSection } from './unsubscribe';
import { YourDataSection } from './your-data';

export interface SettingsPageProps {
  port: SettingsPort;
  runtime: Runtime;
  /** The route below #/settings: its first part names the section to scroll to. */
  rest?: string[];
  /** The sign-in, sync and team section (components/options/settings/backend*.tsx), placed after Mailboxes. */
  backend?: ReactNode;
  /** Settings → CRM (components/options/settings/crm.tsx), placed after the backend section. */
  crm?: ReactNode;
  /** Settings → Diagnostics (components/options/settings/diagnostics.tsx), placed last. */
  diagnostics?: ReactNode;
  save?: SaveFile;
  now?: () => number;
}

/**
 * The Settings page: mailboxes, the rep's defaults, holidays, the unsubscribe link, the do-not-contact list,
 * contact import and the rep's data, as sections of one page with a table of contents. Each section has a
 * link of its own (#/settings/holidays).
 */
export function SettingsPage({
  port,
  runtime,
  rest = [],
  backend,
  crm,
  diagnostics,
  save = downloadFile,
  now = () => Date.now(),
}: SettingsPageProps) {
  const [zone, setZone] = useState<string>();
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    port.loadDefaults().then(
      (d) => setZone(d.profile.timeZone),
      () => undefined,
    );
  }, [port, generation]);
  const target = rest[0];
  useEffect(() => {
    if (target) document.getElementById(`settings-${target}`)?.scrollIntoView?.({ block: 'start' });
  }, [target]);

  const formatDate = (at: number) =>
    new Date(at).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: zone });
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(now());
  const toc: [string, string][] = [
    ['mailboxes', S.sections.mailboxes],
    ...(backend ? [['backend', S.sections.backend] as [string, string]] : []),
    ...(crm ? [['crm', C.title] as [string, string]] : []),
    ['defaults', S.sections.defaults],
    ['holidays', S.sections.holidays],
    ['unsubscribe', S.sections.unsubscribe],
    ['dnc', S.sections.dnc],
    ['contacts', S.sections.contacts],
    ['data', S.sections.data],
    ...(diagnostics ? [['diagnostics', D.title] as [string, string]] : []),
  ];

  return (
    <div className="tl-settings">
      <style>{SETTINGS_CSS}</style>
      <nav className="tl-settings-toc" aria-labelledby="settings-toc-title">
        <h2 id="settings-toc-title">{S.tocLabel}</h2>
        <ul>
          {toc.map(([id, label]) => (
            <li key={id}>
              <a href={`#/settings/${id}`} aria-current={target === id ? 'location' : undefined}>
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div>
        <h1>{S.title}</h1>
        <div key={generation}>
          <AccountsSection runtime={runtime} formatDate={formatDate} />
          {backend && (
            <div id="settings-backend" className="tl-settings-slot">
              {backend}
            </div>
          )}
          {crm && (
            <div id="settings-crm" className="tl-settings-slot">
              {crm}
            </div>
          )}
          <DefaultsSection port={port} />
          <HolidaysSection port={port} />
          <UnsubscribeSection port={port} />
          <DoNotContactSection port={port} save={save} formatDate={formatDate} />
          <ContactsImportSection port={port} />
        </div>
        <YourDataSection
          port={port}
          save={save}
          today={today}
          onDeleted={() => setGeneration((g) => g + 1)}
        />
        {diagnostics}
      </div>
    </div>
  );
}
