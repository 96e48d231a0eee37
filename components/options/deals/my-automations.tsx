import { useState } from 'react';
import type { AutomationsPort } from '@/lib/options-ports/interfaces/deals';
import { ALL_AUTOMATIONS } from '@/lib/process/automations';
import { switchesWords } from './playbook-draft';

/**
 * "Automations on your deals": the rep's own switches, kept on their device (every automation paused, or one
 * by one). A switch shows at once; what the device holds comes back from the write, and a failed write puts
 * it back and names the problem.
 */
export function MyAutomations({
  port,
  turnedOff,
  setTurnedOff,
  automations,
  onProblem,
}: {
  port: AutomationsPort;
  turnedOff: readonly string[];
  setTurnedOff: (ids: string[]) => void;
  /** The playbook's automations, by stage. */
  automations: readonly { stage: string; id: string; label: string }[];
  onProblem: (message: string) => void;
}) {
  const [status, setStatus] = useState('');
  const off = new Set(turnedOff);

  async function setOff(id: string, value: boolean) {
    const before = [...turnedOff];
    setTurnedOff(value ? [...new Set([...before, id])] : before.filter((x) => x !== id));
    try {
      const next = await port.setOff(id, value);
      setTurnedOff(next);
      setStatus(switchesWords(next));
    } catch (e) {
      setTurnedOff(before);
      onProblem(e instanceof Error ? e.message : String(e));
    }
  }

  return (
    <section aria-labelledby="tlp-my-automations" className="tlp-item">
      <h2 id="tlp-my-automations">Automations on your deals</h2>
      <p className="hint">
        Yours alone, kept on this device: an automation turned off here does not act on the deals you own
        (each skipped run is still written to the deal’s history).
      </p>
      <label className="tlp-check">
        <input
          type="checkbox"
          checked={off.has(ALL_AUTOMATIONS)}
          onChange={(e) => void setOff(ALL_AUTOMATIONS, e.target.checked)}
        />
        Pause every automation on my deals
      </label>
      <ul className="tlp-switches">
        {automations.map((a) => (
          <li key={`${a.stage}/${a.id}`}>
            <label className="tlp-check">
              <input
                type="checkbox"
                disabled={off.has(ALL_AUTOMATIONS)}
                checked={!off.has(ALL_AUTOMATIONS) && !off.has(a.id)}
                onChange={(e) => void setOff(a.id, !e.target.checked)}
              />
              {a.stage}: {a.label}
            </label>
          </li>
        ))}
      </ul>
      <p role="status" data-testid="automations-state">
        {status || switchesWords(turnedOff)}
      </p>
    </section>
  );
}
