import { useState } from 'react';
import type { SaveFile } from './download';
import type { SettingsPort } from '../../../lib/options-ports/interfaces/settings';
import { S } from './strings';
import { ErrorLine, useWork } from './use-work';

/** Settings → Your data: export everything as JSON, or delete everything after typing a confirmation. */
export function YourDataSection({
  port,
  save,
  today,
  onDeleted,
}: {
  port: SettingsPort;
  save: SaveFile;
  /** YYYY-MM-DD, for the export's file name. */
  today: string;
  onDeleted?: () => void;
}) {
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, run } = useWork();
  return (
    <section id="settings-data" aria-labelledby="data-title">
      <h2 id="data-title">{S.sections.data}</h2>
      <p className="hint">{S.data.hint}</p>
      <p>
        {/* The page ships in the package (public/privacy.html), beside options.html. */}
        <a href="/privacy.html" target="_blank" rel="noreferrer">
          {S.data.privacy}
        </a>
      </p>
      <button
        type="button"
        disabled={busy}
        onClick={() =>
          void run(async () =>
            save(`threadline-export-${today}.json`, await port.exportAllData(), 'application/json'),
          )
        }
      >
        {S.data.export}
      </button>
      <form
        className="danger-zone"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await port.deleteAllData();
            setConfirm('');
            setDone(true);
            onDeleted?.();
          });
        }}
      >
        <h3>{S.data.deleteTitle}</h3>
        <p className="hint" id="delete-hint">
          {S.data.deleteHint}
        </p>
        <div className="row">
          <label>
            {S.data.confirmLabel(S.data.confirmWord)}
            <input
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
              aria-describedby="delete-hint"
              autoComplete="off"
              spellCheck={false}
            />
          </label>
          <button type="submit" className="danger" disabled={busy || confirm !== S.data.confirmWord}>
            {S.data.delete}
          </button>
        </div>
        {done && (
          <p className="status" role="status">
            {S.data.deleted}
          </p>
        )}
      </form>
      <ErrorLine error={error} />
    </section>
  );
}
