import { useEffect, useState } from 'react';
import { send, type Runtime } from '@/lib/protocol/endpoints';
import type {
  CrmDealMappingView,
  CrmOwnersView,
  CrmPipelineView,
  CrmSettingsView,
} from '@/lib/protocol/crm-settings';
import type { Role } from '@/lib/contract/auth';
import { C } from './crm-strings';
import { ErrorLine, useWork } from './use-work';

/** A Threadline playbook as the deal mapping needs it. */
export interface PlaybookSummary {
  pipelineId: string;
  name: string;
  stages: { id: string; name: string }[];
  facts: { key: string; label: string }[];
}

const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DOMAIN = /^@?[a-z0-9-]+(\.[a-z0-9-]+)+$/;

/** What can go on the never-log list, or why not. */
export function neverLogEntry(text: string): { entry: string } | { error: string } {
  const entry = text.trim().toLowerCase();
  return ADDRESS.test(entry) || DOMAIN.test(entry) ? { entry } : { error: C.neverLogBad(text.trim()) };
}

/** Settings → CRM → Options: creating contacts, personal mail providers, the never-log list. */
export function CrmOptions(props: {
  runtime: Runtime;
  settings: CrmSettingsView;
  canEdit: boolean;
  ownDomain: string;
  onSaved(): void;
}) {
  const { runtime, settings, canEdit } = props;
  const { busy, error, run } = useWork();
  const [adding, setAdding] = useState('');
  const [saved, setSaved] = useState(false);
  const save = (changes: Partial<Omit<CrmSettingsView, 'deals'>>) =>
    void run(async () => {
      setSaved(false);
      await send(runtime, 'crmSettings.save', changes);
      setSaved(true);
      props.onSaved();
    });
  const add = () => {
    const checked = neverLogEntry(adding);
    if ('error' in checked) return void run(() => Promise.reject(new Error(checked.error)));
    if (!settings.neverLog.includes(checked.entry)) save({ neverLog: [...settings.neverLog, checked.entry] });
    setAdding('');
  };
  return (
    <div data-testid="crm-options">
      <h3>{C.optionsTitle}</h3>
      {!canEdit && <p className="hint">{C.readOnly}</p>}
      <label className="check">
        <input
          type="checkbox"
          checked={settings.createContacts}
          disabled={!canEdit || busy}
          onChange={(e) => save({ createContacts: e.target.checked })}
        />
        {C.createContacts}
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={settings.logPersonalDomains}
          disabled={!canEdit || busy}
          onChange={(e) => save({ logPersonalDomains: e.target.checked })}
        />
        {C.logPersonal}
      </label>
      <h4>{C.neverLogTitle}</h4>
      <p>{C.neverLogIntro(props.ownDomain)}</p>
      {settings.neverLog.length === 0 ? (
        <p className="hint">{C.neverLogEmpty}</p>
      ) : (
        <ul data-testid="crm-never-log">
          {settings.neverLog.map((entry) => (
            <li key={entry}>
              {entry}{' '}
              {canEdit && (
                <button
                  disabled={busy}
                  aria-label={C.neverLogRemove(entry)}
                  onClick={() => save({ neverLog: settings.neverLog.filter((e) => e !== entry) })}
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            add();
          }}
        >
          <label htmlFor="crm-never-log-add">{C.neverLogLabel}</label>
          <input id="crm-never-log-add" value={adding} onChange={(e) => setAdding(e.target.value)} />
          <button type="submit" disabled={busy}>
            {C.neverLogAdd}
          </button>
        </form>
      )}
      <ErrorLine error={error} />
      {saved && !error && <p role="status">{C.saved}</p>}
    </div>
  );
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

/** Settings → CRM → owners: each member's HubSpot owner, matched by email; admins change it. */
export function CrmOwners({ runtime, role, portalId }: { runtime: Runtime; role: Role; portalId: string }) {
  const [view, setView] = useState<CrmOwnersView>();
  const { busy, error, run } = useWork();
  useEffect(() => {
    if (role === 'rep') return;
    void run(async () => setView(await send(runtime, 'crmSettings.owners', {})));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- again when the connection or role changes.
  }, [role, portalId]);
  return (
    <div data-testid="crm-owners">
      <h3>{C.ownersTitle}</h3>
      <p className="hint">{role === 'rep' ? C.ownersRepOnly : C.ownersIntro}</p>
      {view && (
        <table className="tl-table">
          <thead>
            <tr>
              <th scope="col">{C.member}</th>
              <th scope="col">{C.owner}</th>
              <th scope="col">{C.how}</th>
            </tr>
          </thead>
          <tbody>
            {view.members.map((m) => {
              const owner = view.owners.find((o) => o.id === m.ownerId);
              return (
                <tr key={m.userId} data-testid="crm-owner-row">
                  <td>{m.email}</td>
                  <td>
                    {role === 'admin' ? (
                      <select
                        aria-label={C.ownerOf(m.email)}
                        value={m.ownerId ?? ''}
                        disabled={busy}
                        onChange={(e) =>
                          void run(async () => {
                            await send(runtime, 'crmSettings.setOwner', {
                              userId: m.userId,
                              ownerId: e.target.value || null,
                            });
                            setView(await send(runtime, 'crmSettings.owners', {}));
                          })
                        }
                      >
                        <option value="">{C.noOwner}</option>
                        {view.owners.map((o) => (
                          <option key={o.id} value={o.id}>
                            {o.name ? `${o.name} <${o.email}>` : o.email}
                          </option>
                        ))}
                      </select>
                    ) : owner ? (
                      owner.name ? (
                        `${owner.name} <${owner.email}>`
                      ) : (
                        owner.email
                      )
                    ) : (
                      C.noOwner
                    )}
                  </td>
                  <td>{m.ownerId ? (m.edited ? C.byAdmin : C.byEmail) : ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <ErrorLine error={error} />
    </div>
  );
}
