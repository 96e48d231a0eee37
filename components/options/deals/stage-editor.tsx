import { StageKind } from '@/lib/domain/playbook';
import type { SequenceChoice } from '@/lib/options-ports/interfaces/deals';
import { TextField } from './fields';
import type { StageChoice } from './rule-builder-model';
import { StageActions } from './stage-actions';
import { StageAutomations } from './stage-automations';
import { StageCards } from './stage-cards';
import { StageCriteria } from './stage-criteria';
import type { StageIssues, StagePartProps } from './stage-draft';

export interface StageEditorProps extends StagePartProps {
  stages: readonly StageChoice[];
  rules: readonly { id: string; name: string }[];
  sequences: readonly SequenceChoice[];
  /** The automations the rep turned off for their own deals (shown on each automation). */
  turnedOff: ReadonlySet<string>;
  /** The playbook's zod issues under this stage (paths relative to it). */
  issues: StageIssues;
}

/**
 * One stage of a playbook: its name, kind and goal, then its exit criteria (stage-criteria), recommended
 * actions (stage-actions), cards with their questions (stage-cards) and automations (stage-automations).
 */
export function StageEditor({
  stage,
  update,
  facts,
  stages,
  rules,
  sequences,
  turnedOff,
  issues,
}: StageEditorProps) {
  const part = { stage, update, facts };
  return (
    <div className="tlp-item" data-testid={`stage-${stage.id}`}>
      <div className="row">
        <TextField
          label="Stage name"
          value={stage.name}
          onText={(text) => update((s) => void (s.name = text))}
        />
        <label>
          Kind
          <select
            value={stage.kind ?? 'open'}
            onChange={(e) => update((s) => void (s.kind = e.target.value as StageKind))}
          >
            {StageKind.options.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <TextField
          label="Goal"
          grow
          value={stage.goal ?? ''}
          onText={(text) => update((s) => void (s.goal = text))}
        />
      </div>
      <StageCriteria {...part} stages={stages} issues={issues} />
      <StageActions {...part} sequences={sequences} />
      <StageCards {...part} />
      <StageAutomations {...part} rules={rules} sequences={sequences} turnedOff={turnedOff} />
    </div>
  );
}
