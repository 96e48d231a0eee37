import { useState } from 'react';
import {
  CONTACT_FIELDS,
  customNameOf,
  guessMapping,
  parseCsv,
  type ColumnTarget,
  type ParsedCsv,
} from '@/lib/options-ports/contacts-import-csv';
import type { ContactImportReport, SettingsPort } from '../../../lib/options-ports/interfaces/settings';
import { RejectedList } from './rejected-list';
import { S } from './strings';
import { ErrorLine, useWork } from './use-work';

const PREVIEW_ROWS = 5;

/** Settings → Import contacts: upload a CSV, map its columns, pick duplicate handling, preview, import. */
export function ContactsImportSection({ port }: { port: SettingsPort }) {
  const [file, setFile] = useState<{ name: string; csv: ParsedCsv }>();
  const [mapping, setMapping] = useState<ColumnTarget[]>([]);
  const [duplicates, setDuplicates] = useState<'skip' | 'update'>('skip');
  const [report, setReport] = useState<ContactImportReport>();
  const { busy, error, run } = useWork();

  const hasEmail = mapping.includes('email');
  const targetName = (t: ColumnTarget) =>
    t === ''
      ? '—'
      : t.startsWith('custom:')
        ? S.contacts.custom(t.slice(7))
        : S.contacts.fields[t as 'email'];

  return (
    <section id="settings-contacts" aria-labelledby="contacts-title">
      <h2 id="contacts-title">{S.sections.contacts}</h2>
      <p className="hint">{S.contacts.hint}</p>
      <div className="row">
        <label className="file-button">
          {file ? file.name : S.contacts.file}
          <input
            type="file"
            accept=".csv,text/csv"
            aria-label={S.contacts.file}
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (!f) return;
              void run(async () => {
                const csv = parseCsv(await f.text());
                setFile({ name: f.name, csv });
                setMapping(guessMapping(csv.headers));
                setReport(undefined);
              });
            }}
          />
        </label>
      </div>
      {file && file.csv.rows.length === 0 && <p className="status">{S.contacts.empty}</p>}
      {file && file.csv.rows.length > 0 && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () =>
              setReport(await port.importContacts({ rows: file.csv.rows, mapping, duplicates })),
            );
          }}
        >
          <div className="table-wrap">
            <table>
              <caption className="hint" style={{ textAlign: 'left' }}>
                {S.contacts.preview(Math.min(PREVIEW_ROWS, file.csv.rows.length), file.csv.rows.length)}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{S.contacts.column}</th>
                  <th scope="col">{S.contacts.field}</th>
                  {file.csv.rows.slice(0, PREVIEW_ROWS).map((_, i) => (
                    <th scope="col" key={i}>
                      {S.contacts.row(i + 2)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {file.csv.headers.map((header, col) => (
                  <tr key={col}>
                    <th scope="row">{header || `#${col + 1}`}</th>
                    <td>
                      <select
                        aria-label={`${S.contacts.field}: ${header || `#${col + 1}`}`}
                        value={mapping[col] ?? ''}
                        onChange={(e) => {
                          const next = [...mapping];
                          const chosen = e.target.value as ColumnTarget;
                          // A field takes one column: the one chosen last.
                          next.forEach((t, i) => {
                            if (chosen && t === chosen) next[i] = '';
                          });
                          next[col] = chosen;
                          setMapping(next);
                          setReport(undefined);
                        }}
                      >
                        <option value="">{S.contacts.ignore}</option>
                        {CONTACT_FIELDS.map((f) => (
                          <option key={f} value={f}>
                            {S.contacts.fields[f]}
                          </option>
                        ))}
                        {[...new Set([mapping[col], `custom:${customNameOf(header) ?? ''}`])]
                          .filter((t): t is ColumnTarget => !!t && /^custom:[A-Za-z][\w-]*$/.test(t))
                          .map((t) => (
                            <option key={t} value={t}>
                              {targetName(t)}
                            </option>
                          ))}
                      </select>
                    </td>
                    {file.csv.rows.slice(0, PREVIEW_ROWS).map((row, i) => (
                      <td key={i}>{row[col] ?? ''}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <fieldset>
            <legend>{S.contacts.duplicates}</legend>
            <div className="row">
              <label className="check">
                <input
                  type="radio"
                  name="duplicates"
                  checked={duplicates === 'skip'}
                  onChange={() => setDuplicates('skip')}
                />
                {S.contacts.skip}
              </label>
              <label className="check">
                <input
                  type="radio"
                  name="duplicates"
                  checked={duplicates === 'update'}
                  onChange={() => setDuplicates('update')}
                />
                {S.contacts.update}
              </label>
            </div>
          </fieldset>
          <div className="row">
            <button type="submit" className="primary" disabled={busy || !hasEmail}>
              {S.contacts.import(file.csv.rows.length)}
            </button>
            {!hasEmail && <span className="status">{S.contacts.needsEmail}</span>}
          </div>
        </form>
      )}
      {report && (
        <div role="status" aria-label={S.contacts.report} data-testid="import-report">
          <div className="report">
            <div>
              <strong>{report.imported.toLocaleString('en')}</strong>
              <span>{S.contacts.imported}</span>
            </div>
            <div>
              <strong>{report.updated.toLocaleString('en')}</strong>
              <span>{S.contacts.updated}</span>
            </div>
            <div>
              <strong>{report.skipped.toLocaleString('en')}</strong>
              <span>{S.contacts.skipped}</span>
            </div>
            <div>
              <strong>{report.rejected.length.toLocaleString('en')}</strong>
              <span>{S.contacts.rejected}</span>
            </div>
          </div>
          <RejectedList
            title={S.contacts.rejectedRows}
            items={report.rejected.map((r) => ({ at: S.contacts.row(r.row), reason: r.reason }))}
          />
        </div>
      )}
      <ErrorLine error={error} />
    </section>
  );
}
