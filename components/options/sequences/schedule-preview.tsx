import { useId, useMemo, useState } from 'react';
import { Temporal } from 'temporal-polyfill';
import type { Contact } from '../../../lib/domain/contact';
import type { Rep } from '../../../lib/domain/rep';
import type { Sequence } from '../../../lib/domain/sequence';
import { previewSchedule } from '../../../lib/options-ports/sequences-schedule';
import { LOCALE, s, stepKinds } from './strings';

const ZONES = Intl.supportedValuesOf('timeZone');

const format = (ms: number, timeZone: string) =>
  new Intl.DateTimeFormat(LOCALE, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  }).format(ms);

/** "2026-03-02T09:00" of the next full hour on the rep's clock, for the datetime-local input. */
export function nextHourInput(now: number, timeZone: string): string {
  const z = Temporal.Instant.fromEpochMilliseconds(now).toZonedDateTimeISO(timeZone);
  return z
    .round({ smallestUnit: 'hour', roundingMode: 'ceil' })
    .toPlainDateTime()
    .toString({ smallestUnit: 'minute' });
}

/**
 * The real send times of every step for the chosen contact, time zone and start: lib/options-ports/sequences-schedule
 * runs the engine's own plan(). Shown on the contact's clock and on the rep's.
 */
export function SchedulePreview({
  sequence,
  contact,
  rep,
  teamHolidays,
  now,
}: {
  /** The draft when it is valid; undefined while it has problems. */
  sequence: Sequence | undefined;
  contact: Contact;
  rep: Rep;
  teamHolidays: readonly string[];
  now: number;
}) {
  const id = useId();
  const [zone, setZone] = useState<string | undefined>(undefined);
  const [start, setStart] = useState(() => nextHourInput(now, rep.timeZone));
  const contactZone = zone ?? contact.timeZone ?? rep.timeZone;
  const startMs = useMemo(() => {
    try {
      return Temporal.PlainDateTime.from(start).toZonedDateTime(rep.timeZone).epochMilliseconds;
    } catch {
      return undefined;
    }
  }, [start, rep.timeZone]);
  const result = useMemo(() => {
    if (!sequence || startMs === undefined) return undefined;
    try {
      return previewSchedule({
        sequence,
        contact: { ...contact, timeZone: contactZone },
        rep,
        start: startMs,
        teamHolidays,
      });
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }, [sequence, contact, contactZone, rep, startMs, teamHolidays]);

  return (
    <section className="tl-seq-schedule" aria-labelledby={`${id}-title`} data-testid="schedule-preview">
      <h2 id={`${id}-title`}>{s.schedule}</h2>
      <p className="hint">{s.scheduleHint}</p>
      <div className="tl-seq-grid">
        <div className="tl-seq-field">
          <label htmlFor={`${id}-zone`}>{s.scheduleZone}</label>
          <select id={`${id}-zone`} value={contactZone} onChange={(e) => setZone(e.target.value)}>
            {(ZONES.includes(contactZone) ? ZONES : [contactZone, ...ZONES]).map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        </div>
        <div className="tl-seq-field">
          <label htmlFor={`${id}-start`}>{s.scheduleStart}</label>
          <input
            id={`${id}-start`}
            type="datetime-local"
            value={start}
            onChange={(e) => setStart(e.target.value)}
          />
        </div>
      </div>
      {result === undefined ? (
        <p className="tl-seq-hint">{s.scheduleInvalid}</p>
      ) : typeof result === 'string' ? (
        <p className="error">{result}</p>
      ) : (
        <>
          <table className="tl-seq-table">
            <thead>
              <tr>
                <th scope="col">{s.scheduleStep}</th>
                <th scope="col">{s.scheduleContactClock}</th>
                <th scope="col">{s.scheduleRepClock}</th>
              </tr>
            </thead>
            <tbody>
              {result.steps.map((step) => (
                <tr key={step.stepId} data-testid="schedule-row">
                  <th scope="row">
                    {step.stepIndex + 1}. {stepKinds[step.type]}
                    <span className="tl-seq-hint">
                      {' '}
                      · {step.type === 'auto_email' ? s.emailSends : s.taskDue}
                    </span>
                    {step.problem && <span className="error tl-seq-block">{step.problem}</span>}
                  </th>
                  <td>
                    {format(step.at, contactZone)} <span className="tl-seq-hint">({contactZone})</span>
                  </td>
                  <td>
                    {format(step.at, rep.timeZone)} <span className="tl-seq-hint">({rep.timeZone})</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="tl-seq-hint">{s.scheduleWindowOn(result.windowZone)}</p>
        </>
      )}
    </section>
  );
}
