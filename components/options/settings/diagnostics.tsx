import { useEffect, useState } from 'react';
import { appIdProblem } from '@/lib/hosts/gmail/app-id';
import { edgeMayBlockCloudMicrosoft } from '@/lib/hosts/mail-hosts';
import { send, type Runtime } from '@/lib/protocol/endpoints';
import type { DiagnosticEntry } from '@/lib/protocol/diagnostics';
import { D } from './diagnostics-strings';
import { ErrorLine, useWork } from './use-work';

export interface DiagnosticsSectionProps {
  runtime: Runtime;
  /** The InboxSDK app id this build carries (import.meta.env.WXT_INBOXSDK_APP_ID). */
  inboxSdkAppId: string | undefined;
  /** The extension's version, for the bug report. */
  version: string;
  userAgent: string;
  copy?: (text: string) => Promise<void>;
  formatDate: (at: number) => string;
}

/** What a bug report gets: the list as it is shown, the version and the browser; nothing from any mail. */
export function bugReport(entries: DiagnosticEntry[], version: string, userAgent: string): string {
  const lines = entries.map((e) =>
    [
      new Date(e.at).toISOString(),
      e.host,
      e.anchor + (e.detail ? ` (${e.detail})` : ''),
      e.page,
      `v${e.version}`,
      `x${e.count}`,
      `since ${new Date(e.firstAt).toISOString()}`,
    ].join('  '),
  );
  return [`Threadline ${version} diagnostics`, `Browser: ${userAgent}`, '', ...lines].join('\n');
}

/** Settings → Diagnostics: the last anchor misses, InboxSDK's state in Gmail, and Edge's cloud.microsoft block. */
export function DiagnosticsSection({
  runtime,
  inboxSdkAppId,
  version,
  userAgent,
  copy = (text) => navigator.clipboard.writeText(text),
  formatDate,
}: DiagnosticsSectionProps) {
  const [entries, setEntries] = useState<DiagnosticEntry[]>();
  const [copied, setCopied] = useState(false);
  const { busy, error, run } = useWork();
  const load = () => run(async () => setEntries((await send(runtime, 'diagnostics.list', {})).entries));
  // eslint-disable-next-line react-hooks/exhaustive-deps -- again only for another runtime; load is a new closure every render.
  useEffect(() => void load(), [runtime]);

  const problem = appIdProblem(inboxSdkAppId);
  const sdkFailure = entries?.find((e) => e.anchor === 'inboxsdk' && e.detail === 'load_failed');
  return (
    <section id="settings-diagnostics" aria-labelledby="diagnostics-title">
      <h2 id="diagnostics-title">{D.title}</h2>
      <p className="hint">{D.hint}</p>
      <h3>{D.sdkTitle}</h3>
      <p className={problem ? 'error' : 'ok'} role={problem ? 'alert' : undefined}>
        {problem === 'no_app_id'
          ? D.sdkMissing
          : problem === 'invalid_app_id'
            ? D.sdkInvalid(inboxSdkAppId ?? '')
            : D.sdkOk}
      </p>
      {sdkFailure && <p className="error">{D.sdkFailed(formatDate(sdkFailure.at))}</p>}
      {edgeMayBlockCloudMicrosoft(userAgent) && <p className="error">{D.edge}</p>}
      {entries && entries.length === 0 && <p className="status">{D.none}</p>}
      {entries && entries.length > 0 && (
        <>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{D.columns.when}</th>
                  <th scope="col">{D.columns.host}</th>
                  <th scope="col">{D.columns.anchor}</th>
                  <th scope="col">{D.columns.page}</th>
                  <th scope="col">{D.columns.version}</th>
                  <th scope="col">{D.columns.count}</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr key={e.id}>
                    <td>{formatDate(e.at)}</td>
                    <td>{e.host}</td>
                    <td>
                      <code>{e.anchor}</code>
                      {e.detail ? ` (${e.detail.replaceAll('_', ' ')})` : ''}
                    </td>
                    <td>{D.pages[e.page] ?? e.page}</td>
                    <td>{e.version}</td>
                    <td>{e.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="tl-row" style={{ display: 'flex', gap: 8 }}>
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  await copy(bugReport(entries, version, userAgent));
                  setCopied(true);
                })
              }
            >
              {D.copy}
            </button>
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  await send(runtime, 'diagnostics.clear', {});
                  setCopied(false);
                  await load();
                })
              }
            >
              {D.clear}
            </button>
          </div>
          {copied && (
            <p className="status ok" role="status">
              {D.copied}
            </p>
          )}
        </>
      )}
      <ErrorLine error={error} />
    </section>
  );
}
