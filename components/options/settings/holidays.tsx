import { useEffect, useState } from 'react';
import type { SettingsPort } from '../../../lib/options-ports/interfaces/settings';
import { S } from './strings';
import { ErrorLine, useWork } from './use-work';

const dayOf = (iso: string) => new Date(`${iso}T12:00:00Z`);
export const isWeekday = (iso: string) => ![0, 6].includes(dayOf(iso).getUTCDay());
const longDate = (iso: string) =>
  dayOf(iso).toLocaleDateString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });

/** Settings → Holiday calendar: the team's days off, skipped by every sequence's sends and tasks. */
export function HolidaysSection({ port }: { port: SettingsPort }) {
  const [dates, setDates] = useState<string[]>();
  const [draft, setDraft] = useState('');
  const { busy, error, run } = useWork();
  // eslint-disable-next-line react-hooks/exhaustive-deps -- again only for another port; run is a new closure every render.
  useEffect(() => void run(async () => setDates(await port.loadHolidays())), [port]);

  const save = (next: string[]) => run(async () => setDates(await port.saveHolidays(next)));
  const weekdays = dates?.filter(isWeekday).length ?? 0;

  return (
    <section id="settings-holidays" aria-labelledby="holidays-title">
      <h2 id="holidays-title">{S.sections.holidays}</h2>
      <p className="hint">{S.holidays.hint}</p>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (!draft) return void run(async () => Promise.reject(new Error(S.holidays.invalid)));
          void save([...(dates ?? []), draft]).then(() => setDraft(''));
        }}
      >
        <label>
          {S.holidays.date}
          <input type="date" value={draft} onChange={(e) => setDraft(e.target.value)} />
        </label>
        <button type="submit" disabled={busy || dates === undefined}>
          {S.holidays.add}
        </button>
      </form>
      {dates === undefined ? (
        <p>{S.loading}</p>
      ) : dates.length === 0 ? (
        <p className="status">{S.holidays.none}</p>
      ) : (
        <>
          <p className="status">{S.holidays.summary(dates.length, weekdays)}</p>
          <ul className="plain scroll" aria-label={S.sections.holidays}>
            {dates.map((d) => (
              <li key={d} data-testid="holiday">
                <span className="grow">
                  <time dateTime={d}>{longDate(d)}</time>
                </span>
                <span className="badge">{isWeekday(d) ? S.holidays.weekday : S.holidays.weekend}</span>
                <button
                  type="button"
                  disabled={busy}
                  aria-label={S.holidays.remove(d)}
                  onClick={() => void save(dates.filter((x) => x !== d))}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <ErrorLine error={error} />
    </section>
  );
}
