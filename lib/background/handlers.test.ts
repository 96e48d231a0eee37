// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { composeHandlers } from './handlers';

const ok = async () => ({ ok: true as const });

describe('the handler table', () => {
  it('answers each message with the handler of the group that registered it', async () => {
    const table = composeHandlers({
      diagnostics: { 'diagnostics.clear': ok },
      accounts: { 'accounts.disconnect': ok },
    });
    expect(Object.keys(table).sort()).toEqual(['accounts.disconnect', 'diagnostics.clear']);
    expect(await table['diagnostics.clear']!({}, {})).toEqual({ ok: true });
  });

  it('refuses to start when two groups answer the same message, naming both', () => {
    expect(() =>
      composeHandlers({ accounts: { 'accounts.disconnect': ok }, deals: { 'accounts.disconnect': ok } }),
    ).toThrow('accounts.disconnect is answered by two handler groups: accounts and deals');
  });
});
