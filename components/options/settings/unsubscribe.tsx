import { useEffect, useState } from 'react';
import type { SettingsPort } from '../../../lib/options-ports/interfaces/settings';
import { S } from './strings';
import { ErrorLine, useWork } from './use-work';

/** Settings → Unsubscribe link: whether emails carry an unsubscribe link and List-Unsubscribe. */
export function UnsubscribeSection({ port }: { port: SettingsPort }) {
  const [on, setOn] = useState<boolean>();
  const { busy, error, run } = useWork();
  // eslint-disable-next-line react-hooks/exhaustive-deps -- again only for another port; run is a new closure every render.
  useEffect(() => void run(async () => setOn(await port.loadUnsubscribeLink())), [port]);
  return (
    <section id="settings-unsubscribe" aria-labelledby="unsubscribe-title">
      <h2 id="unsubscribe-title">{S.sections.unsubscribe}</h2>
      <p className="hint" id="unsubscribe-hint">
        {S.unsubscribe.hint}
      </p>
      <label className="check">
        <input
          type="checkbox"
          checked={on ?? false}
          disabled={on === undefined || busy}
          aria-describedby="unsubscribe-hint"
          onChange={(e) => {
            const next = e.target.checked;
            void run(async () => {
              await port.saveUnsubscribeLink(next);
              setOn(next);
            });
          }}
        />
        {S.unsubscribe.toggle}
      </label>
      <ErrorLine error={error} />
    </section>
  );
}
