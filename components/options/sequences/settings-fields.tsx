import { useState } from 'react';
import type { Settings } from '../../../lib/domain/sequence';
import { Field, errorProps } from './fields';
import { s } from './strings';

/** The engine's settings of a sequence, with the defaults of SettingsSchema. */
export function SettingsFields({
  settings,
  problems,
  onChange,
}: {
  settings: Settings;
  problems: ReadonlyMap<string, string>;
  onChange(settings: Settings): void;
}) {
  const set = (patch: Partial<Settings>) => onChange({ ...settings, ...patch });
  // The text as typed (a trailing comma included); the settings get the parsed dates.
  const [holidays, setHolidays] = useState(() => settings.holidays.join(', '));
  const err = (k: string) => problems.get(`settings.${k}`);
  const num = (k: 'dailySendCap' | 'perMinuteCap' | 'minSecondsBetweenSends', label: string) => (
    <Field fieldKey={`settings.${k}`} label={label} error={err(k)}>
      <input
        {...errorProps(`settings.${k}`, err(k))}
        type="number"
        min={0}
        value={Number.isNaN(settings[k]) ? '' : settings[k]}
        onChange={(e) => set({ [k]: e.target.value === '' ? NaN : Number(e.target.value) })}
      />
    </Field>
  );
  return (
    <section className="tl-seq-settings" aria-labelledby="seq-settings-title">
      <h2 id="seq-settings-title">{s.settings}</h2>
      <p className="hint">{s.settingsHint}</p>
      <div className="tl-seq-grid">
        <Field fieldKey="settings.sendWindowStart" label={s.windowStart}>
          <input
            {...errorProps('settings.sendWindowStart', undefined)}
            type="time"
            value={settings.sendWindow.start}
            onChange={(e) => set({ sendWindow: { ...settings.sendWindow, start: e.target.value } })}
          />
        </Field>
        <Field fieldKey="settings.sendWindow" label={s.windowEnd} error={err('sendWindow')}>
          <input
            {...errorProps('settings.sendWindow', err('sendWindow'))}
            type="time"
            value={settings.sendWindow.end}
            onChange={(e) => set({ sendWindow: { ...settings.sendWindow, end: e.target.value } })}
          />
        </Field>
        <Field fieldKey="settings.timeZoneBasis" label={s.timeZoneBasis}>
          <select
            {...errorProps('settings.timeZoneBasis', undefined)}
            value={settings.timeZoneBasis}
            onChange={(e) => set({ timeZoneBasis: e.target.value as Settings['timeZoneBasis'] })}
          >
            <option value="contact">{s.basisContact}</option>
            <option value="rep">{s.basisRep}</option>
          </select>
        </Field>
        {num('dailySendCap', s.dailyCap)}
        {num('perMinuteCap', s.perMinuteCap)}
        {num('minSecondsBetweenSends', s.spacing)}
      </div>
      <Field fieldKey="settings.holidays" label={s.holidays} error={err('holidays')}>
        <input
          {...errorProps('settings.holidays', err('holidays'))}
          value={holidays}
          placeholder="2026-12-25, 2026-12-26"
          onChange={(e) => {
            setHolidays(e.target.value);
            set({ holidays: e.target.value.split(/[,\s]+/).filter(Boolean) });
          }}
        />
      </Field>
      <div className="tl-seq-checks">
        <label className="tl-seq-check">
          <input
            type="checkbox"
            checked={settings.weekdaysOnly}
            onChange={(e) => set({ weekdaysOnly: e.target.checked })}
          />
          {s.weekdaysOnly}
        </label>
        <label className="tl-seq-check">
          <input
            type="checkbox"
            checked={settings.tasksBlock}
            onChange={(e) => set({ tasksBlock: e.target.checked })}
          />
          {s.tasksBlock}
        </label>
        <label className="tl-seq-check">
          <input
            type="checkbox"
            checked={settings.unenrollCompanyOnReply}
            onChange={(e) => set({ unenrollCompanyOnReply: e.target.checked })}
          />
          {s.unenrollCompany}
        </label>
      </div>
    </section>
  );
}
