import { useEffect, useMemo, useState } from 'react';
import type { Profile, SequenceDefaults, SettingsPort } from '../../../lib/options-ports/interfaces/settings';
import { S } from './strings';
import { ErrorLine, useWork } from './use-work';

const ZONES: readonly string[] = Intl.supportedValuesOf('timeZone');

/** Settings → Your defaults: who the rep is in emails, and what every new sequence starts with. */
export function DefaultsSection({ port }: { port: SettingsPort }) {
  const [profile, setProfile] = useState<Profile>();
  const [seq, setSeq] = useState<SequenceDefaults>();
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useWork();
  useEffect(() => {
    void run(async () => {
      const d = await port.loadDefaults();
      setProfile(d.profile);
      setSeq(d.sequence);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- again only for another port; run is a new closure every render.
  }, [port]);
  const zones = useMemo(
    () => (profile && !ZONES.includes(profile.timeZone) ? [profile.timeZone, ...ZONES] : ZONES),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only the zone matters, not the rest of the profile.
    [profile?.timeZone],
  );

  if (!profile || !seq)
    return (
      <section id="settings-defaults" aria-labelledby="defaults-title">
        <h2 id="defaults-title">{S.sections.defaults}</h2>
        <p>{S.loading}</p>
        <ErrorLine error={error} />
      </section>
    );

  const setP = (patch: Partial<Profile>) => (setSaved(false), setProfile({ ...profile, ...patch }));
  const setS = (patch: Partial<SequenceDefaults>) => (setSaved(false), setSeq({ ...seq, ...patch }));
  const num = (v: string) => (v === '' ? Number.NaN : Number(v));

  return (
    <section id="settings-defaults" aria-labelledby="defaults-title">
      <h2 id="defaults-title">{S.sections.defaults}</h2>
      <p className="hint">{S.defaults.hint}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await port.saveDefaults(profile, seq);
            setSaved(true);
          });
        }}
      >
        <fieldset>
          <legend>{S.defaults.you}</legend>
          <div className="row">
            <label>
              {S.defaults.name}
              <input
                value={profile.name}
                onChange={(e) => setP({ name: e.target.value })}
                autoComplete="name"
              />
            </label>
            <label>
              {S.defaults.email}
              <input
                type="email"
                value={profile.email}
                onChange={(e) => setP({ email: e.target.value })}
                autoComplete="email"
              />
            </label>
            <div className="field">
              <label>
                {S.defaults.timeZone}
                <input
                  list="settings-zones"
                  value={profile.timeZone}
                  onChange={(e) => setP({ timeZone: e.target.value })}
                  aria-describedby="zone-hint"
                  spellCheck={false}
                />
              </label>
              <span className="field-hint" id="zone-hint">
                {S.defaults.timeZoneHint}
              </span>
              <datalist id="settings-zones">
                {zones.map((z) => (
                  <option key={z} value={z} />
                ))}
              </datalist>
            </div>
          </div>
          <div className="field">
            <label className="wide">
              {S.defaults.signature}
              <textarea
                value={profile.signature}
                onChange={(e) => setP({ signature: e.target.value })}
                aria-describedby="signature-hint"
                rows={3}
              />
            </label>
            <span className="field-hint" id="signature-hint">
              {S.defaults.signatureHint}
            </span>
          </div>
        </fieldset>
        <fieldset>
          <legend>{S.defaults.newSequences}</legend>
          <div className="row">
            <label>
              {S.defaults.windowStart}
              <input
                type="time"
                value={seq.sendWindow.start}
                onChange={(e) => setS({ sendWindow: { ...seq.sendWindow, start: e.target.value } })}
              />
            </label>
            <label>
              {S.defaults.windowEnd}
              <input
                type="time"
                value={seq.sendWindow.end}
                onChange={(e) => setS({ sendWindow: { ...seq.sendWindow, end: e.target.value } })}
              />
            </label>
            <label>
              {S.defaults.basis}
              <select
                value={seq.timeZoneBasis}
                onChange={(e) => setS({ timeZoneBasis: e.target.value as 'contact' | 'rep' })}
              >
                <option value="contact">{S.defaults.basisContact}</option>
                <option value="rep">{S.defaults.basisRep}</option>
              </select>
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={seq.weekdaysOnly}
                onChange={(e) => setS({ weekdaysOnly: e.target.checked })}
              />
              {S.defaults.weekdaysOnly}
            </label>
          </div>
          <div className="row">
            <label>
              {S.defaults.dailyCap}
              <input
                type="number"
                min={1}
                max={10000}
                value={Number.isNaN(seq.dailySendCap) ? '' : seq.dailySendCap}
                onChange={(e) => setS({ dailySendCap: num(e.target.value) })}
              />
            </label>
            <label>
              {S.defaults.minuteCap}
              <input
                type="number"
                min={1}
                max={600}
                value={Number.isNaN(seq.perMinuteCap) ? '' : seq.perMinuteCap}
                onChange={(e) => setS({ perMinuteCap: num(e.target.value) })}
              />
            </label>
            <label>
              {S.defaults.spacing}
              <input
                type="number"
                min={0}
                max={86400}
                value={Number.isNaN(seq.minSecondsBetweenSends) ? '' : seq.minSecondsBetweenSends}
                onChange={(e) => setS({ minSecondsBetweenSends: num(e.target.value) })}
              />
            </label>
          </div>
        </fieldset>
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            {S.defaults.save}
          </button>
          {saved && (
            <span className="status ok" role="status">
              {S.saved}
            </span>
          )}
        </div>
      </form>
      <ErrorLine error={error} />
    </section>
  );
}
