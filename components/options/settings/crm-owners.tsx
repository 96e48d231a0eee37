import { useEffect, useState } from 'react';
import { send, type Runtime } from '@/lib/protocol/endpoints';
import type { Role } from '@/lib/contract/auth';
import type { CrmOwnersView } from '@/lib/protocol/crm-settings';
import { C } from './crm-strings';
import { ErrorLine, useWork } from './use-work';

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
