import { describe, expect, it } from 'vitest';
import { createCredentialStore, type LegacyStorage } from './credential-store';

/** browser.storage.local as earlier versions left it: a plain key-value area. */
function storageLocal(initial: Record<string, unknown>) {
  const items = new Map(Object.entries(initial));
  const area: LegacyStorage & { set(values: Record<string, unknown>): Promise<void> } = {
    get: async () => Object.fromEntries(items),
    remove: async (keys) => keys.forEach((k) => items.delete(k)),
    set: async (values) => Object.entries(values).forEach(([k, v]) => items.set(k, v)),
  };
  return { area, items };
}

let n = 0;
const freshName = () => `threadline-credentials-test-${++n}`;

const tokens = { accessToken: 'ya29.real', refreshToken: '1//real-refresh', expiresAt: 1 };
const accounts = [{ provider: 'gmail', mailbox: 'rep@acme.test', connectedAt: 1 }];
const backend = { url: 'https://threadline.acme.test', clientId: 'c1' };

describe('the credential store', () => {
  it('moves what an earlier version kept in storage.local, so a rep who updates stays signed in', async () => {
    const { area, items } = storageLocal({
      accounts,
      backend,
      'tokens:gmail:rep@acme.test': tokens,
      'inbox.fallbackThread': null,
    });
    const store = createCredentialStore({ name: freshName(), legacy: area });
    expect(await store.get('tokens:gmail:rep@acme.test')).toEqual({ 'tokens:gmail:rep@acme.test': tokens });
    expect(await store.get('accounts')).toEqual({ accounts });
    expect(await store.get('backend')).toEqual({ backend });
    // Nothing of it is left where a content script could read it; what is not a credential stays.
    expect([...items.keys()]).toEqual(['inbox.fallbackThread']);
  });

  it('never takes an account or a backend address written into storage.local after the move', async () => {
    const name = freshName();
    const { area, items } = storageLocal({ accounts, 'tokens:gmail:rep@acme.test': tokens });
    await createCredentialStore({ name, legacy: area }).migrated;
    // A content script (Firefox lets it write storage.local) points the mailbox at its own server.
    await area.set({
      accounts: [{ ...accounts[0], sandboxUrl: 'https://attacker.example' }],
      backend: { url: 'https://attacker.example', clientId: 'c1' },
    });
    const restarted = createCredentialStore({ name, legacy: area });
    expect(await restarted.get('accounts')).toEqual({ accounts });
    expect(await restarted.get('backend')).toEqual({});
    expect(items.has('accounts')).toBe(false);
    expect(items.has('backend')).toBe(false);
  });

  it('keeps, replaces and forgets values', async () => {
    const store = createCredentialStore({ name: freshName() });
    await store.set({ backend, accounts });
    await store.set({ backend: { ...backend, url: 'https://other.acme.test' } });
    expect(await store.get('backend')).toEqual({ backend: { ...backend, url: 'https://other.acme.test' } });
    await store.remove('accounts');
    expect(await store.get('accounts')).toEqual({});
  });
});
