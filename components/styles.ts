/**
 * The inbox UI's only stylesheet. The mount code injects it into each panel's shadow root, so nothing leaks
 * in or out; `:host { all: initial }` stops the mail client's inherited fonts and colours at the boundary.
 * Themes are custom properties: light by default, dark under `data-theme="dark"` on the shadow host or on
 * any container (the gallery uses containers). Colours follow Gmail's and Outlook's calm greys with one
 * accent; every focusable control gets a visible focus ring.
 */
export const styles = /* css */ `
:host { all: initial; display: block; }

:host, .tl-theme {
  --tl-font: system-ui, -apple-system, 'Segoe UI', Roboto, 'Google Sans', 'Helvetica Neue', Arial, sans-serif;
  --tl-bg: #ffffff;
  --tl-surface: #f6f8fc;
  --tl-surface-2: #eef1f6;
  --tl-border: #dadce0;
  --tl-text: #1f1f1f;
  --tl-muted: #5f6368;
  --tl-accent: #0b57d0;
  --tl-accent-text: #ffffff;
  --tl-accent-soft: #d3e3fd;
  --tl-danger: #b3261e;
  --tl-danger-soft: #fce8e6;
  --tl-warn: #8a5300;
  --tl-warn-soft: #fef7e0;
  --tl-ok: #137333;
  --tl-ok-soft: #e6f4ea;
  --tl-focus: #0b57d0;
  --tl-radius: 8px;
  color-scheme: light;
}

:host([data-theme='dark']), [data-theme='dark'], [data-theme='dark'] .tl-theme {
  --tl-bg: #1f1f1f;
  --tl-surface: #2a2a2a;
  --tl-surface-2: #333537;
  --tl-border: #444746;
  --tl-text: #e3e3e3;
  --tl-muted: #c4c7c5;
  --tl-accent: #a8c7fa;
  --tl-accent-text: #062e6f;
  --tl-accent-soft: #0842a0;
  --tl-danger: #f2b8b5;
  --tl-danger-soft: #601410;
  --tl-warn: #fdd663;
  --tl-warn-soft: #4a3a00;
  --tl-ok: #81c995;
  --tl-ok-soft: #0f3d1f;
  --tl-focus: #a8c7fa;
  color-scheme: dark;
}

.tl-root {
  font-family: var(--tl-font);
  font-size: 13px;
  line-height: 1.45;
  color: var(--tl-text);
  background: var(--tl-bg);
  padding: 12px;
  box-sizing: border-box;
}
.tl-root *, .tl-root *::before, .tl-root *::after { box-sizing: inherit; }
.tl-root h2 { font-size: 14px; font-weight: 600; margin: 0 0 8px; }
.tl-root h3 { font-size: 13px; font-weight: 600; margin: 0; }
.tl-root p { margin: 0; }
.tl-muted { color: var(--tl-muted); }
.tl-normal { font-weight: 400; }
.tl-small { font-size: 12px; }
.tl-row { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.tl-stack { display: flex; flex-direction: column; gap: 8px; }
.tl-spread { display: flex; align-items: center; justify-content: space-between; gap: 8px; }
.tl-list { list-style: none; margin: 0; padding: 0; }
.tl-visually-hidden {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}

.tl-button {
  font: inherit; font-size: 13px; font-weight: 500; color: var(--tl-accent);
  background: transparent; border: 1px solid var(--tl-border); border-radius: 16px;
  padding: 4px 12px; min-height: 28px; cursor: pointer;
}
.tl-button:hover { background: var(--tl-surface-2); }
.tl-button[disabled] { color: var(--tl-muted); cursor: not-allowed; opacity: 0.7; background: transparent; }
.tl-button--primary { background: var(--tl-accent); color: var(--tl-accent-text); border-color: var(--tl-accent); }
.tl-button--primary:hover { background: var(--tl-accent); filter: brightness(1.08); }
.tl-button--primary[disabled] { background: var(--tl-surface-2); color: var(--tl-muted); border-color: var(--tl-border); }
.tl-button--danger { color: var(--tl-danger); }
.tl-button--small { padding: 2px 10px; min-height: 24px; font-size: 12px; }
.tl-link { color: var(--tl-accent); text-decoration: underline; text-underline-offset: 2px; }

.tl-input, .tl-select, .tl-textarea {
  font: inherit; font-size: 13px; color: var(--tl-text); background: var(--tl-bg);
  border: 1px solid var(--tl-border); border-radius: 6px; padding: 5px 8px; min-height: 30px; max-width: 100%;
}
.tl-textarea { width: 100%; min-height: 96px; resize: vertical; font-family: var(--tl-font); }
.tl-input--wide { width: 100%; }
.tl-input[aria-invalid='true'] { border-color: var(--tl-danger); }
.tl-label { display: flex; flex-direction: column; gap: 4px; font-weight: 500; }
.tl-check { display: inline-flex; align-items: center; gap: 6px; }
.tl-check input { width: 16px; height: 16px; margin: 0; accent-color: var(--tl-accent); }
.tl-fieldset { border: 0; margin: 0; padding: 0; min-width: 0; }
.tl-fieldset legend { font-weight: 600; padding: 0; margin-bottom: 6px; }

.tl-root :focus-visible, .tl-root .tl-focus-always:focus {
  outline: 2px solid var(--tl-focus); outline-offset: 2px;
}

.tl-card {
  background: var(--tl-bg); border: 1px solid var(--tl-border); border-radius: var(--tl-radius); padding: 10px 12px;
}
.tl-section { margin-top: 14px; }
.tl-badge {
  display: inline-block; font-size: 11px; font-weight: 600; padding: 1px 8px; border-radius: 10px;
  background: var(--tl-surface-2); color: var(--tl-muted); white-space: nowrap;
}
.tl-badge--active { background: var(--tl-accent-soft); color: var(--tl-text); }
.tl-badge--paused { background: var(--tl-warn-soft); color: var(--tl-warn); }
.tl-badge--finished { background: var(--tl-ok-soft); color: var(--tl-ok); }
.tl-badge--unenrolled { background: var(--tl-surface-2); color: var(--tl-muted); }
.tl-badge--high { background: var(--tl-danger-soft); color: var(--tl-danger); }

.tl-alert { border-radius: 6px; padding: 8px 10px; background: var(--tl-warn-soft); color: var(--tl-text); }
.tl-alert--danger { background: var(--tl-danger-soft); }
.tl-alert ul { margin: 4px 0 0; padding-left: 18px; }
.tl-ok { color: var(--tl-ok); }

/* Thread panel */
.tl-participant { padding: 10px 0; border-top: 1px solid var(--tl-border); display: grid; grid-template-columns: 20px 1fr; gap: 4px 8px; }
.tl-participant:first-child { border-top: 0; }
.tl-participant__name { font-weight: 600; overflow-wrap: anywhere; }
.tl-participant__email { color: var(--tl-muted); font-size: 12px; overflow-wrap: anywhere; }
.tl-participant__body { grid-column: 2; display: flex; flex-direction: column; gap: 4px; min-width: 0; }
.tl-participant__actions { display: flex; gap: 6px; flex-wrap: wrap; margin-top: 4px; }
.tl-detail { font-size: 12px; color: var(--tl-text); background: var(--tl-warn-soft); border-radius: 6px; padding: 4px 8px; }
.tl-footer { border-top: 1px solid var(--tl-border); margin-top: 8px; padding-top: 10px; }

/* Enroll flow */
.tl-seq-list { max-height: 220px; overflow: auto; border: 1px solid var(--tl-border); border-radius: 6px; }
.tl-seq-option { display: flex; gap: 8px; align-items: flex-start; padding: 8px 10px; border-top: 1px solid var(--tl-border); cursor: pointer; }
.tl-seq-option:first-child { border-top: 0; }
.tl-seq-option:has(input:checked) { background: var(--tl-accent-soft); }
.tl-seq-option input { margin-top: 2px; accent-color: var(--tl-accent); }
.tl-preview { border: 1px solid var(--tl-border); border-radius: var(--tl-radius); overflow: hidden; }
.tl-preview__head { background: var(--tl-surface); padding: 6px 10px; }
.tl-preview__edit { padding: 8px 10px; border-bottom: 1px solid var(--tl-border); }
.tl-preview__subject { padding: 6px 10px; border-bottom: 1px solid var(--tl-border); font-weight: 600; }
.tl-preview__body { padding: 8px 10px; white-space: pre-wrap; overflow-wrap: anywhere; }
.tl-preview__body p { margin: 0 0 8px; }
.tl-missing { color: var(--tl-danger); }
mark.tl-missing { background: var(--tl-danger-soft); border-radius: 3px; padding: 0 2px; font-weight: 600; }
.tl-details-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 8px; }

/* Task queue */
.tl-queue { display: flex; flex-direction: column; height: 100%; min-height: 0; }
.tl-queue__scroll { flex: 1; overflow: auto; min-height: 240px; max-height: 70vh; position: relative; }
.tl-queue__header { background: var(--tl-surface); padding: 6px 8px; border-radius: 6px; margin: 4px 0; }
.tl-queue__inner { position: relative; width: 100%; }
.tl-queue__empty { padding: 6px 8px; }
.tl-queue__row { position: absolute; top: 0; left: 0; width: 100%; padding-bottom: 8px; }
.tl-task__title { font-weight: 600; }
.tl-task__meta { color: var(--tl-muted); font-size: 12px; }
.tl-task__overdue { color: var(--tl-danger); }
.tl-task__notes { white-space: pre-wrap; font-size: 12px; background: var(--tl-surface); border-radius: 6px; padding: 4px 8px; }
.tl-task details summary { cursor: pointer; color: var(--tl-accent); }
.tl-kbd {
  display: inline-block; min-width: 20px; text-align: center; font: 600 11px/18px ui-monospace, monospace;
  border: 1px solid var(--tl-border); border-bottom-width: 2px; border-radius: 4px; padding: 0 4px; background: var(--tl-surface);
}
.tl-shortcuts { display: flex; gap: 12px; flex-wrap: wrap; list-style: none; padding: 0; margin: 0; }

/* Gallery only */
.tl-gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 16px; padding: 16px; }
.tl-gallery__frame { border: 1px dashed var(--tl-border); border-radius: var(--tl-radius); overflow: hidden; }
.tl-gallery__caption { font: 12px var(--tl-font); color: var(--tl-muted); padding: 6px 12px; background: var(--tl-surface); }
`;
