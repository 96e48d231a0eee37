// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../lib/contract/auth';
import { createTestServer, type TestServer } from '../testing/harness';
import { ownersInScope } from './scope';

let t: TestServer;
let rep: Session;
let colleague: Session;
let manager: Session;
let admin: Session;
let attacker: Session;

beforeAll(async () => {
  t = await createTestServer();
  const team = await t.newTeam('rep', 'rep', 'manager');
  [rep, colleague, manager] = team.members as [Session, Session, Session];
  admin = team.admin;
  const other = await t.newTeam('manager');
  attacker = other.members[0]!;
}, 60_000);

afterAll(() => t.close());

const scope = (who: Session, repId?: string) => ownersInScope(t.database.db, who.user, repId, 'numbers');

describe('whose records a caller may read', () => {
  it('a rep sees only their own, asked or not, and is refused a colleague’s', async () => {
    expect(await scope(rep)).toEqual([rep.user.id]);
    expect(await scope(rep, rep.user.id)).toEqual([rep.user.id]);
    await expect(scope(rep, colleague.user.id)).rejects.toMatchObject({
      status: 403,
      code: 'forbidden',
      message: 'query.repId: a rep sees only their own numbers',
    });
  });

  it('a manager or an admin sees the whole team, or one member of it', async () => {
    expect(await scope(manager)).toBeUndefined();
    expect(await scope(admin)).toBeUndefined();
    expect(await scope(manager, colleague.user.id)).toEqual([colleague.user.id]);
    expect(await scope(admin, rep.user.id)).toEqual([rep.user.id]);
  });

  it('a manager of another team gets nothing of this one: its members are unknown to them', async () => {
    for (const victim of [rep, manager, admin])
      await expect(scope(attacker, victim.user.id)).rejects.toMatchObject({
        status: 404,
        code: 'not_found',
        message: `query.repId: no member ${victim.user.id} in your team`,
      });
    // Without a repId they get their own team: scoped to it by the report, never to this one's members.
    expect(await scope(attacker)).toBeUndefined();
    expect(attacker.user.teamId).not.toBe(rep.user.teamId);
  });

  it('an unknown id is answered like a member of another team', async () => {
    await expect(scope(manager, 'no-such-user')).rejects.toMatchObject({ status: 404, code: 'not_found' });
  });
});
