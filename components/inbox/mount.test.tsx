import { afterEach, describe, expect, it } from 'vitest';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import { mountPanel, panelShadowMode } from './mount';

afterEach(() => document.body.replaceChildren());

describe('a panel in the mail page', () => {
  it('sits in a closed shadow root: the page cannot look inside', async () => {
    const anchor = document.createElement('div');
    document.body.append(anchor);
    const ctx = new ContentScriptContext('mount-test');
    const unmount = await mountPanel(ctx, anchor, 'light', <button>Enroll Ada</button>);
    const host = anchor.querySelector('threadline-panel')!;
    expect(host).not.toBeNull();
    expect(host.shadowRoot).toBeNull();
    expect(document.body.textContent).not.toContain('Enroll Ada');
    unmount();
    ctx.abort();
  });

  it('is closed in every build a rep runs, open only in the end-to-end test build', () => {
    expect(panelShadowMode('production')).toBe('closed');
    expect(panelShadowMode('demo')).toBe('closed');
    expect(panelShadowMode('development')).toBe('closed');
    expect(panelShadowMode('test')).toBe('open');
  });
});
