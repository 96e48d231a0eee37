import { useState } from 'react';
import { send, type Runtime } from '@/lib/protocol/endpoints';
import type { CrmSettingsView } from '@/lib/protocol/crm-settings';
import { C } from './crm-strings';
import { ErrorLine, useWork } from './use-work';

const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DOMAIN = /^@?[a-z0-9-]+(\.[a-z0-9-]+)+$/;

/** What can go on the never-log list, or why not. */
export function neverLogEntry(text: string): { entry: string } | { error: string } {
  const entry = text.trim().toLowerCase();
  return ADDRESS.test(entry) || DOMAIN.test(entry) ? { entry } : { error: C.neverLogBad(text.trim()) };
}

/** Settings → CRM → Options: creating contacts, personal mail providers, the never-log list. */
export function CrmOptions(props: {
  runtime: Runtime;
  settings: CrmSettingsView;
  canEdit: boolean;
  ownDomain: string;
  onSaved(): void;
}) {
  const { runtime, settings, canEdit } = props;
  const { busy, error, run } = useWork();
  const [adding, setAdding] = useState('');
  const [saved, setSaved] = useState(false);
  const save = (changes: Partial<Omit<CrmSettingsView, 'deals'>>) =>
    void run(async () => {
      setSaved(false);
      await send(runtime, 'crmSettings.save', changes);
      setSaved(true);
      props.onSaved();
    });
  const add = () => {
    const checked = neverLogEntry(adding);
    if ('error' in checked) return void run(() => Promise.reject(new Error(checked.error)));
    if (!settings.neverLog.includes(checked.entry)) save({ neverLog: [...settings.neverLog, checked.entry] });
    setAdding('');
  };
  return (
    <div data-testid="crm-options">
      <h3>{C.optionsTitle}</h3>
      {!canEdit && <p className="hint">{C.readOnly}</p>}
      <label className="check">
        <input
          type="checkbox"
          checked={settings.createContacts}
          disabled={!canEdit || busy}
          onChange={(e) => save({ createContacts: e.target.checked })}
        />
        {C.createContacts}
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={settings.logPersonalDomains}
          disabled={!canEdit || busy}
          onChange={(e) => save({ logPersonalDomains: e.target.checked })}
        />
        {C.logPersonal}
      </label>
      <h4>{C.neverLogTitle}</h4>
      <p>{C.neverLogIntro(props.ownDomain)}</p>
      {settings.neverLog.length === 0 ? (
        <p className="hint">{C.neverLogEmpty}</p>
      ) : (
        <ul data-testid="crm-never-log">
          {settings.neverLog.map((entry) => (
            <li key={entry}>
              {entry}{' '}
              {canEdit && (
                <button
                  disabled={busy}
                  aria-label={C.neverLogRemove(entry)}
                  onClick={() => save({ neverLog: settings.neverLog.filter((e) => e !== entry) })}
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            add();
          }}
        >
          <label htmlFor="crm-never-log-add">{C.neverLogLabel}</label>
          <input id="crm-never-log-add" value={adding} onChange={(e) => setAdding(e.target.value)} />
          <button type="submit" disabled={busy}>
            {C.neverLogAdd}
          </button>
        </form>
      )}
      <ErrorLine error={error} />
      {saved && !error && <p role="status">{C.saved}</p>}
    </div>
  );
}
