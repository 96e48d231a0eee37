import { useEffect, useState } from 'react';
import { send, type Runtime } from '@/lib/protocol/endpoints';
import type { CrmDealMappingView, CrmPipelineView } from '@/lib/protocol/crm-settings';
import { C } from './crm-strings';
import { ErrorLine, useWork } from './use-work';

/** A Threadline playbook as the deal mapping needs it. */
export interface PlaybookSummary {
  pipelineId: string;
  name: string;
  stages: { id: string; name: string }[];
  facts: { key: string; label: string }[];
}

/** Settings → CRM → Deals: pipelines and stages, playbook facts to deal properties, and where Threadline wins. */
export function CrmDeals(props: {
  runtime: Runtime;
  deals: CrmDealMappingView;
  canEdit: boolean;
  playbooks?: () => Promise<PlaybookSummary[]>;
  onSaved(): void;
}) {
  const { runtime, canEdit } = props;
  const [draft, setDraft] = useState<CrmDealMappingView>(props.deals);
  const [playbooks, setPlaybooks] = useState<PlaybookSummary[]>([]);
  const [pipelines, setPipelines] = useState<CrmPipelineView[]>([]);
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useWork();
  useEffect(() => {
    void run(async () => {
      const [mine, theirs] = await Promise.all([
        props.playbooks?.() ?? Promise.resolve([]),
        send(runtime, 'crmSettings.pipelines', {}),
      ]);
      setPlaybooks(mine);
      setPipelines(theirs.pipelines);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once when shown.
  }, []);
  const disabled = !canEdit || busy;
  const pipelineOf = (p: PlaybookSummary) => draft.pipelines[p.pipelineId]?.hubspotPipelineId ?? 'default';
  const setPipeline = (p: PlaybookSummary, hubspotPipelineId: string) =>
    setDraft((d) => ({
      ...d,
      pipelines: { ...d.pipelines, [p.pipelineId]: { hubspotPipelineId, stages: {} } },
    }));
  const setStage = (p: PlaybookSummary, stageId: string, hubspotStage: string) =>
    setDraft((d) => {
      const current = d.pipelines[p.pipelineId] ?? { hubspotPipelineId: 'default', stages: {} };
      const stages = { ...current.stages };
      if (hubspotStage) stages[stageId] = hubspotStage;
      else delete stages[stageId];
      return { ...d, pipelines: { ...d.pipelines, [p.pipelineId]: { ...current, stages } } };
    });
  const setFact = (key: string, property: string) =>
    setDraft((d) => {
      const facts = { ...d.facts };
      if (property.trim()) facts[key] = property.trim();
      else delete facts[key];
      return { ...d, facts };
    });
  const toggleWins = (field: string, on: boolean) =>
    setDraft((d) => ({
      ...d,
      threadlineWins: on
        ? [...new Set([...d.threadlineWins, field])]
        : d.threadlineWins.filter((f) => f !== field),
    }));
  const facts = playbooks.flatMap((p) => p.facts);
  const winnable = [...new Set(['dealname', 'amount', 'closedate', ...Object.values(draft.facts)])];
  return (
    <div data-testid="crm-deals">
      <h3>{C.dealsTitle}</h3>
      <label className="check">
        <input
          type="checkbox"
          checked={draft.enabled}
          disabled={disabled}
          onChange={(e) => setDraft((d) => ({ ...d, enabled: e.target.checked }))}
        />
        {C.dealsEnabled}
      </label>
      {playbooks.length === 0 && <p className="hint">{C.noPlaybooks}</p>}
      {playbooks.map((p) => {
        const hubspot = pipelines.find((x) => x.id === pipelineOf(p));
        return (
          <fieldset key={p.pipelineId}>
            <legend>{p.name}</legend>
            <label>
              {C.pipelineOf(p.name)}{' '}
              <select
                value={pipelineOf(p)}
                disabled={disabled}
                onChange={(e) => setPipeline(p, e.target.value)}
              >
                {pipelines.length === 0 && <option value="default">default</option>}
                {pipelines.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.label}
                  </option>
                ))}
              </select>
            </label>
            <table className="tl-table">
              <tbody>
                {p.stages.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">{s.name}</th>
                    <td>
                      <select
                        aria-label={C.stageOf(s.name)}
                        value={draft.pipelines[p.pipelineId]?.stages[s.id] ?? ''}
                        disabled={disabled}
                        onChange={(e) => setStage(p, s.id, e.target.value)}
                      >
                        <option value="">{C.stageDefault}</option>
                        {hubspot?.stages.map((h) => (
                          <option key={h.id} value={h.id}>
                            {h.label}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </fieldset>
        );
      })}
      {facts.length > 0 && (
        <details>
          <summary>{C.factsSummary(Object.keys(draft.facts).length, facts.length)}</summary>
          <p className="hint" id="crm-fact-hint">
            {C.factHint}
          </p>
          {facts.map((f) => (
            <div className="row" key={f.key}>
              <label htmlFor={`crm-fact-${f.key}`}>{C.factOf(f.label)}</label>
              <input
                id={`crm-fact-${f.key}`}
                aria-describedby="crm-fact-hint"
                value={draft.facts[f.key] ?? ''}
                disabled={disabled}
                onChange={(e) => setFact(f.key, e.target.value)}
              />
            </div>
          ))}
        </details>
      )}
      <h4>{C.winsTitle}</h4>
      <p className="hint">{C.winsIntro}</p>
      {winnable.map((field) => (
        <label className="check" key={field}>
          <input
            type="checkbox"
            checked={draft.threadlineWins.includes(field)}
            disabled={disabled}
            onChange={(e) => toggleWins(field, e.target.checked)}
          />
          {C.winsOf(C.dealFields[field] ?? field)}
        </label>
      ))}
      {canEdit && (
        <div className="row">
          <button
            className="primary"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                setSaved(false);
                await send(runtime, 'crmSettings.save', { deals: draft });
                setSaved(true);
                props.onSaved();
              })
            }
          >
            {C.saveDeals}
          </button>
        </div>
      )}
      <ErrorLine error={error} />
      {saved && !error && <p role="status">{C.saved}</p>}
    </div>
  );
}
