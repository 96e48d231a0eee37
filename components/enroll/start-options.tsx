import { useId } from 'react';
import type { Step } from '../../lib/domain/sequence';
import { enroll } from '../strings';
import { isEmail } from './email-problems';

export type StartMode = 'now' | 'later';

interface Props {
  steps: Step[];
  startStep: number;
  onStartStep(index: number): void;
  mode: StartMode;
  onMode(mode: StartMode): void;
  /** `<input type="datetime-local">` value on the rep's clock. */
  at: string;
  onAt(value: string): void;
  timeZone: string;
}

/** Where the sequence starts (a later step skips the earlier ones) and when: now, or a moment in the rep's zone. */
export function StartOptions({ steps, startStep, onStartStep, mode, onMode, at, onAt, timeZone }: Props) {
  const group = useId();
  return (
    <div className="tl-stack tl-section">
      <label className="tl-label">
        {enroll.startStep}
        <select className="tl-select" value={startStep} onChange={(e) => onStartStep(Number(e.target.value))}>
          {steps.map((step, i) => (
            <option key={step.id} value={i}>
              {enroll.stepOption(i, step.type, isEmail(step) ? step.subject : step.title)}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="tl-fieldset">
        <legend>{enroll.start}</legend>
        <div className="tl-row">
          <label className="tl-check">
            <input type="radio" name={group} checked={mode === 'now'} onChange={() => onMode('now')} />
            {enroll.startNow}
          </label>
          <label className="tl-check">
            <input type="radio" name={group} checked={mode === 'later'} onChange={() => onMode('later')} />
            {enroll.startLater}
          </label>
        </div>
        {mode === 'later' && (
          <label className="tl-label tl-section">
            {enroll.startAt(timeZone)}
            <input
              type="datetime-local"
              className="tl-input"
              value={at}
              onChange={(e) => onAt(e.target.value)}
            />
          </label>
        )}
      </fieldset>
    </div>
  );
}
