import { useState } from 'react';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { AnchorMiss } from '../../lib/hosts/types';
import type { Runtime } from '../../lib/protocol/endpoints';
import { ask } from '../../lib/protocol/inbox-client';
import { mountPanel } from './mount';
import { glue } from './strings';

export interface AnchorNoteProps {
  /** The mail client, as the rep calls it. */
  client: string;
  /** Why: a page anchor went missing, or InboxSDK did not load (Gmail). */
  reason: 'anchor' | 'sdk';
  onOpenDiagnostics(): void;
}

/**
 * The small note shown where Threadline's panel would be when the mail client's page is not what the driver
 * knows (the host changed it) or Gmail's SDK did not load: what happened, where the same actions are (the
 * browser's side panel), a way to the details in Settings → Diagnostics, and Dismiss.
 */
export function AnchorNote({ client, reason, onOpenDiagnostics }: AnchorNoteProps) {
  const [open, setOpen] = useState(true);
  if (!open) return null;
  return (
    <div className="tl-root tl-alert tl-stack" role="status" aria-label={glue.noteTitle}>
      <p>
        <strong>{glue.noteTitle}</strong> {reason === 'anchor' ? glue.noteAnchor(client) : glue.noteSdk}
      </p>
      <div className="tl-row">
        <button type="button" className="tl-button tl-button--small" onClick={onOpenDiagnostics}>
          {glue.noteDetails}
        </button>
        <button type="button" className="tl-button tl-button--small" onClick={() => setOpen(false)}>
          {glue.noteDismiss}
        </button>
      </div>
    </div>
  );
}

/** A fixed corner of the page for the note (the driver ignores mutations under `data-threadline-note`). */
export function noteSlot(doc: Document): HTMLElement {
  const slot = doc.createElement('div');
  slot.setAttribute('data-threadline-note', '');
  slot.style.cssText =
    'position: fixed; right: 16px; bottom: 16px; z-index: 2147482000; width: min(360px, calc(100vw - 32px));';
  doc.body.append(slot);
  return slot;
}

export interface HostProblem extends AnchorMiss {
  detail?: 'no_app_id' | 'invalid_app_id' | 'load_failed';
}

/**
 * Tells the rep and the diagnostics log that the page is not what the driver knows: every problem is recorded
 * (the background keeps it for Settings → Diagnostics), the note is shown once per page.
 */
export function hostProblemReporter(
  ctx: ContentScriptContext,
  deps: { runtime: Runtime; shadowMode?: ShadowRootMode },
  client: string,
  theme: () => 'light' | 'dark',
): (problem: HostProblem) => void {
  let shown = false;
  return (problem) => {
    void ask(deps.runtime, 'diagnostics.record', problem).catch(() => undefined);
    if (shown || ctx.signal.aborted) return;
    shown = true;
    const slot = noteSlot(document);
    ctx.signal.addEventListener('abort', () => slot.remove());
    void mountPanel(
      ctx,
      slot,
      theme(),
      <AnchorNote
        client={client}
        reason={problem.anchor === 'inboxsdk' ? 'sdk' : 'anchor'}
        onOpenDiagnostics={() =>
          void ask(deps.runtime, 'options.open', { section: 'diagnostics' }).catch(() => undefined)
        }
      />,
      deps.shadowMode ?? 'closed',
    );
  };
}
