import { useEffect, useMemo, useState } from 'react';
import type { SaveFile } from './download';
import type { DncEntry, SettingsPort } from '../../../lib/options-ports/interfaces/settings';
import { RejectedList } from './rejected-list';
import { S } from './strings';
import { ErrorLine, useWork } from './use-work';

const SHOWN = 200;

/** Settings → Do-not-contact list: add, search, remove, CSV in and out. Adding stops live sequences. */
export function DoNotContactSection({
  port,
  save,
  formatDate,
}: {
  port: SettingsPort;
  save: SaveFile;
  formatDate: (at: number) => string;
}) {
  const [list, setList] = useState<DncEntry[]>();
  const [draft, setDraft] = useState('');
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<string>();
  const [rejected, setRejected] = useState<{ title: string; items: { at: string; reason: string }[] }>();
  const { busy, error, run } = useWork();
  const refresh = async () => setList(await port.listDoNotContact());
  // eslint-disable-next-line react-hooks/exhaustive-deps -- again only for another port; run is a new closure every render.
  useEffect(() => void run(refresh), [port]);

  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (list ?? []).filter((s) => !q || s.email.includes(q));
  }, [list, query]);

  const report = (
    text: string,
    rows: { title: string; items: { at: string; reason: string }[] } | undefined,
  ) => {
    setStatus(text);
    setRejected(rows?.items.length ? rows : undefined);
  };

  return (
    <section id="settings-dnc" aria-labelledby="dnc-title">
      <h2 id="dnc-title">{S.sections.dnc}</h2>
      <p className="hint">{S.dnc.hint}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const r = await port.addDoNotContact(draft);
            report(S.dnc.added(r.added.length, r.stopped, r.alreadyListed.length), {
              title: S.dnc.rejectedTitle,
              items: r.rejected.map((x) => ({ at: x.entry, reason: x.reason })),
            });
            setDraft(r.rejected.map((x) => x.entry).join('\n'));
            await refresh();
          });
        }}
      >
        <div className="field">
          <label className="wide">
            {S.dnc.entries}
            <textarea
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              rows={2}
              aria-describedby="dnc-entries-hint"
              spellCheck={false}
            />
          </label>
          <span className="field-hint" id="dnc-entries-hint">
            {S.dnc.entriesHint}
          </span>
        </div>
        <div className="row" style={{ marginTop: 8 }}>
          <button type="submit" className="primary" disabled={busy || !draft.trim()}>
            {S.dnc.add}
          </button>
          <label className="file-button">
            {S.dnc.importCsv}
            <input
              type="file"
              accept=".csv,text/csv"
              disabled={busy}
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (!file) return;
                void run(async () => {
                  const r = await port.importDoNotContactCsv(await file.text());
                  report(
                    r.rejected.length
                      ? S.dnc.importRejected(r.rejected.length)
                      : S.dnc.added(r.added, r.stopped, r.alreadyListed),
                    {
                      title: S.dnc.rejectedTitle,
                      items: r.rejected.map((x) => ({ at: S.dnc.row(x.row), reason: x.problem })),
                    },
                  );
                  await refresh();
                });
              }}
            />
          </label>
          <button
            type="button"
            disabled={busy || !list?.length}
            onClick={() =>
              void run(async () => save('do-not-contact.csv', await port.exportDoNotContactCsv(), 'text/csv'))
            }
          >
            {S.dnc.exportCsv}
          </button>
        </div>
      </form>
      {status && (
        <p className="status" role="status">
          {status}
        </p>
      )}
      {rejected && <RejectedList title={rejected.title} items={rejected.items} />}
      <div className="row" style={{ marginTop: 16 }}>
        <label>
          {S.dnc.search}
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
        </label>
        <span className="status">{list ? S.dnc.count(matches.length, list.length) : ''}</span>
      </div>
      {list === undefined ? (
        <p>{S.loading}</p>
      ) : list.length === 0 ? (
        <p className="status">{S.dnc.empty}</p>
      ) : matches.length === 0 ? (
        <p className="status">{S.dnc.noMatch}</p>
      ) : (
        <ul className="plain scroll" aria-label={S.sections.dnc}>
          {matches.slice(0, SHOWN).map((s) => (
            <li key={s.email} data-testid="dnc-entry">
              <span className="grow">{s.email}</span>
              <span className="badge">{S.dnc.reasons[s.reason]}</span>
              <span className="field-hint">{formatDate(s.at)}</span>
              {s.reason === 'unsubscribed' || s.reason === 'spam_complaint' ? (
                <span className="field-hint">{S.dnc.adminOnly}</span>
              ) : (
                <button
                  type="button"
                  disabled={busy}
                  aria-label={S.dnc.remove(s.email)}
                  onClick={() =>
                    void run(async () => {
                      await port.removeDoNotContact(s.email);
                      await refresh();
                    })
                  }
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <ErrorLine error={error} />
    </section>
  );
}
