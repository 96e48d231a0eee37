import { useEffect, useState } from 'react';
import type { Contact } from '../../../lib/domain/contact';
import type { Rep } from '../../../lib/domain/rep';
import type { Sequence } from '../../../lib/domain/sequence';
import {
  applyFixes,
  fieldOfToken,
  parsePastedAddresses,
  type Refusal,
} from '../../../lib/options-ports/bulk-preflight';
import type {
  BatchPreview,
  BulkReport,
  ContactsPort,
  PreflightResult,
} from '../../../lib/options-ports/interfaces/contacts';

type Fixes = Record<string, Record<string, string>>;

const time = (t: number, zone: string) =>
  new Date(t).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: zone });
const day = (date: string) =>
  new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
  });

function MissingFix({
  refusal,
  fixes,
  onFix,
}: {
  refusal: Refusal;
  fixes: Fixes;
  onFix(token: string, v: string): void;
}) {
  const tokens = [...new Set((refusal.missing ?? []).flatMap((m) => m.tokens))];
  return (
    <span className="tl-inline-fix">
      {tokens.map((token) =>
        fieldOfToken(token) ? (
          <label key={token}>
            {`${token} for ${refusal.email}`}
            <input
              value={fixes[refusal.email!]?.[token] ?? ''}
              onChange={(e) => onFix(token, e.currentTarget.value)}
            />
          </label>
        ) : (
          <span key={token}>{`{{${token}}} is the rep’s: set it in Settings`}</span>
        ),
      )}
    </span>
  );
}

export function BulkReportView({ report }: { report: BulkReport }) {
  return (
    <div data-testid="bulk-report">
      <h3>{`Enrolled ${report.enrolled.length} in ${report.sequenceName}`}</h3>
      <p className="hint">{new Date(report.at).toLocaleString('en-GB')}</p>
      {(report.rejected.length > 0 || report.leftOut.length > 0) && (
        <ul>
          {report.rejected.map((r) => (
            <li key={`r${r.index}`}>{`${r.email ?? `#${r.index + 1}`}: ${r.message}`}</li>
          ))}
          {report.leftOut.map((r, i) => (
            <li key={`l${i}`}>{`${r.email ?? '?'}: left out (${r.message})`}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * Enrolling many contacts at once: the sequence, start step and mailbox; a preflight listing everyone who
 * would be refused and why, with inline fixes for missing values; the batch's real schedule; then one
 * transaction through the runner.
 */
export function BulkEnroll({
  port,
  contacts,
  onClose,
}: {
  port: ContactsPort;
  /** The contacts chosen in the list, or undefined to paste addresses. */
  contacts?: Contact[];
  onClose(): void;
}) {
  const [sequences, setSequences] = useState<Sequence[]>([]);
  const [rep, setRep] = useState<Rep>();
  const [mailboxes, setMailboxes] = useState<string[]>([]);
  const [mailbox, setMailbox] = useState('');
  const [sequenceId, setSequenceId] = useState('');
  const [startStep, setStartStep] = useState(0);
  const [pasted, setPasted] = useState('');
  const [fixes, setFixes] = useState<Fixes>({});
  const [result, setResult] = useState<PreflightResult>();
  const [preview, setPreview] = useState<BatchPreview>();
  const [report, setReport] = useState<BulkReport>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    void port.sequences().then((list) => {
      setSequences(list);
      setSequenceId((id) => id || list[0]?.id || '');
    });
    void Promise.all([port.rep(), port.mailboxes().catch((): string[] => [])]).then(([r, connected]) => {
      setRep(r);
      setMailboxes(connected);
      // The rep's own mailbox first, as enrolling from a thread sends from it.
      setMailbox((m) => m || (connected.includes(r.email) ? r.email : (connected[0] ?? r.email)));
    });
  }, [port]);
  const sequence = sequences.find((s) => s.id === sequenceId);
  const pastedParse = contacts ? undefined : parsePastedAddresses(pasted);
  const base: unknown[] = contacts ?? pastedParse!.emails.map((email) => ({ email }));

  const check = async (withFixes = fixes) => {
    setBusy(true);
    setError(undefined);
    setReport(undefined);
    try {
      const candidates = applyFixes(base, withFixes);
      const r = await port.preflight({ sequenceId, startStep, mailbox, candidates });
      setResult(r);
      setPreview(
        r.ready.length
          ? await port.previewBatch({ sequenceId, startStep, mailbox, contacts: r.ready })
          : undefined,
      );
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const enroll = async () => {
    if (!result) return;
    setBusy(true);
    try {
      const leftOut = result.refused.map((r) => ({ email: r.email, message: r.message }));
      setReport(await port.enroll({ sequenceId, startStep, mailbox, contacts: result.ready, leftOut }));
      setResult(undefined);
      setPreview(undefined);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const fixable = result?.refused.filter((r) => r.reason === 'missing_values') ?? [];

  return (
    <section aria-labelledby="bulk-title" className="tl-bulk">
      <div className="row">
        <h2 id="bulk-title" className="grow">
          {contacts ? `Enroll ${contacts.length} contacts` : 'Enroll pasted addresses'}
        </h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      {!contacts && (
        <label>
          Addresses
          <textarea
            value={pasted}
            onChange={(e) => setPasted(e.currentTarget.value)}
            placeholder="ada@acme.example, Ben <ben@globex.example>"
          />
        </label>
      )}
      {pastedParse && pastedParse.invalid.length > 0 && (
        <p className="error">{`Not addresses: ${pastedParse.invalid.join(', ')}`}</p>
      )}
      <div className="row">
        <label>
          Sequence
          <select
            value={sequenceId}
            onChange={(e) => {
              setSequenceId(e.currentTarget.value);
              setStartStep(0);
              setResult(undefined);
            }}
          >
            {sequences.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Start at step
          <select
            value={startStep}
            onChange={(e) => {
              setStartStep(Number(e.currentTarget.value));
              setResult(undefined);
            }}
          >
            {(sequence?.steps ?? []).map((s, i) => (
              <option key={s.id} value={i}>
                {`Step ${i + 1}: ${s.type === 'auto_email' ? s.subject || 'email' : s.title || s.type}`}
              </option>
            ))}
          </select>
        </label>
        <label>
          Sending mailbox
          <select
            value={mailbox}
            onChange={(e) => {
              setMailbox(e.currentTarget.value);
              setResult(undefined);
            }}
          >
            {(mailboxes.length ? mailboxes : rep ? [rep.email] : []).map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="primary"
          disabled={busy || !sequenceId || !base.length}
          onClick={() => void check()}
        >
          Check
        </button>
      </div>
      {error && <p className="error">{error}</p>}
      {result && (
        <div data-testid="preflight">
          <h3>{`Preflight: ${result.ready.length} ready, ${result.refused.length} refused`}</h3>
          {result.refused.length > 0 && (
            <table className="tl-table">
              <caption className="tl-muted">Refused before anything is written</caption>
              <thead>
                <tr>
                  <th scope="col">Contact</th>
                  <th scope="col">Why</th>
                  <th scope="col">Fix</th>
                </tr>
              </thead>
              <tbody>
                {result.refused.slice(0, 200).map((r) => (
                  <tr key={r.index} data-testid="refusal">
                    <td>{r.email ?? `#${r.index + 1}`}</td>
                    <td>{r.message}</td>
                    <td>
                      {r.reason === 'missing_values' ? (
                        <MissingFix
                          refusal={r}
                          fixes={fixes}
                          onFix={(token, v) =>
                            setFixes((f) => ({ ...f, [r.email!]: { ...f[r.email!], [token]: v } }))
                          }
                        />
                      ) : (
                        'left out'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {result.refused.length > 200 && <p className="hint">{`and ${result.refused.length - 200} more`}</p>}
          {fixable.length > 0 && (
            <div className="row">
              <button type="button" disabled={busy} onClick={() => void check()}>
                Apply fixes and check again
              </button>
              <span className="hint">Contacts left without a value are left out.</span>
            </div>
          )}
          {preview && (
            <>
              <h3>First emails of this batch</h3>
              <table className="tl-table" data-testid="batch-preview">
                <caption className="tl-muted">{`Times on ${preview.zone}, as the caps and the send window spread them`}</caption>
                <thead>
                  <tr>
                    <th scope="col">Day</th>
                    <th scope="col">Emails</th>
                    <th scope="col">Tasks</th>
                    <th scope="col">From – to</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.days.map((d) => (
                    <tr key={d.date}>
                      <td>{day(d.date)}</td>
                      <td>{d.emails}</td>
                      <td>{d.tasks}</td>
                      <td>{`${time(d.first, preview.zone)} – ${time(d.last, preview.zone)}`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <button
            type="button"
            className="primary"
            disabled={busy || !result.ready.length}
            onClick={() => void enroll()}
          >
            {`Enroll ${result.ready.length}`}
          </button>
        </div>
      )}
      {report && <BulkReportView report={report} />}
    </section>
  );
}
