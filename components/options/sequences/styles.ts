/** The Sequences page's own CSS, on the options page's variables (--fg --muted --bg --card --line --accent --danger). */
export const SEQUENCES_CSS = `
.tl-seq { --ok: #188038; --warn-bg: #fef7e0; --warn-fg: #7a4f01; }
@media (prefers-color-scheme: dark) { .tl-seq { --ok: #81c995; --warn-bg: #3a2f0b; --warn-fg: #fdd663; } }
.tl-seq-bar { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; margin-bottom: 12px; }
.tl-seq-bar h1 { margin: 0; }
.tl-seq-bar select { min-width: 0; max-width: 240px; }
.tl-seq-inline { flex-direction: row; align-items: center; font-size: 13px; }
.tl-seq-hint { color: var(--muted); font-size: 12px; margin: 4px 0 0; }
.tl-seq-block { display: block; }
.tl-seq-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.tl-seq-filters { display: flex; align-items: center; gap: 12px; margin-bottom: 12px; flex-wrap: wrap; }
.tl-seq-filters input[type=search] { min-width: 260px; }
.tl-seq-check { flex-direction: row; align-items: center; gap: 8px; font-size: 13px; color: var(--fg); }
.tl-seq-check input { min-width: 0; margin: 0; }
.tl-seq-table { width: 100%; border-collapse: collapse; background: var(--bg); border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
.tl-seq-table th, .tl-seq-table td { text-align: left; padding: 10px 12px; border-top: 1px solid var(--line); vertical-align: top; font-weight: normal; }
.tl-seq-table thead th { background: var(--card); color: var(--muted); font-size: 12px; border-top: 0; font-weight: 500; }
.tl-seq-table tbody th { font-weight: 500; }
.tl-seq-table .num { text-align: right; font-variant-numeric: tabular-nums; }
.tl-seq-table a { color: var(--accent); text-decoration: none; font-weight: 500; }
.tl-seq-table a:hover { text-decoration: underline; }
.tl-seq-row-actions { white-space: nowrap; text-align: right !important; }
.tl-seq-row-actions button { padding: 3px 10px; font-size: 13px; margin-left: 4px; }
.tl-seq-archived th, .tl-seq-archived td { color: var(--muted); }
.tl-seq-archived-badge { margin-left: 8px; }
.tl-seq-badge { font-size: 12px; border: 1px solid var(--line); border-radius: 10px; padding: 1px 8px; color: var(--muted); white-space: nowrap; }
.tl-seq-badge--team { color: var(--accent); border-color: var(--accent); }
.tl-seq-badge--error { color: var(--danger); border-color: var(--danger); margin-left: auto; }
.tl-seq-empty { text-align: center; padding: 48px 24px; }
.tl-seq-empty p { max-width: 520px; margin: 8px auto 20px; }
.tl-seq-saved { color: var(--ok); min-height: 1.5em; margin: 0 0 8px; }
.tl-seq-impact { background: var(--warn-bg); color: var(--warn-fg); border-radius: 6px; padding: 10px 14px; margin: 0 0 16px; }
.tl-seq-problems { border: 1px solid var(--danger); border-left-width: 4px; border-radius: 6px; padding: 12px 16px; margin-bottom: 16px; background: var(--bg); }
.tl-seq-problems:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.tl-seq-problems h2 { color: var(--danger); }
.tl-seq-problems ul { margin: 6px 0 0; padding-left: 20px; }
.tl-seq-problems a { color: var(--danger); font-weight: 500; }
.tl-seq-field { display: flex; flex-direction: column; gap: 4px; margin-bottom: 12px; min-width: 0; }
.tl-seq-field label, .tl-seq-label { font-size: 12px; color: var(--muted); }
.tl-seq-field input, .tl-seq-field select, .tl-seq-field textarea { min-width: 0; width: 100%; box-sizing: border-box; }
.tl-seq-field textarea { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 4px; padding: 6px 8px; resize: vertical; }
.tl-seq-field [aria-invalid=true], .tl-seq-editor--invalid { border-color: var(--danger) !important; }
.tl-seq-field-error { color: var(--danger); font-size: 12px; margin: 0; }
.tl-seq-name { font-size: 16px; }
.tl-seq-section-title { margin: 8px 0 8px; }
.tl-seq-steps { list-style: none; padding: 0; margin: 0 0 12px; display: flex; flex-direction: column; gap: 8px; }
.tl-seq-step { border: 1px solid var(--line); border-radius: 8px; background: var(--bg); }
.tl-seq-step--open { border-color: var(--accent); box-shadow: 0 1px 4px rgba(0,0,0,.08); }
.tl-seq-step__head { display: flex; align-items: center; gap: 8px; padding: 6px 8px 6px 12px; }
.tl-seq-step__num { width: 24px; height: 24px; border-radius: 50%; background: var(--card); border: 1px solid var(--line); display: grid; place-items: center; font-size: 12px; color: var(--muted); flex: none; }
.tl-seq-step__toggle { flex: 1; display: flex; align-items: baseline; gap: 10px; border: 0; background: none; color: var(--fg); text-align: left; padding: 6px 4px; min-width: 0; }
.tl-seq-step__kind { font-weight: 500; white-space: nowrap; }
.tl-seq-step__summary { color: var(--muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; }
.tl-seq-step__actions { display: flex; gap: 4px; flex: none; }
.tl-seq-step__actions button { padding: 2px 9px; min-width: 32px; }
.tl-seq-step__conflict { padding: 0 12px 8px 44px; }
.tl-seq-step__body { padding: 8px 16px 16px 44px; border-top: 1px solid var(--line); }
.tl-seq-danger { color: var(--danger); }
.tl-seq-delay { display: flex; gap: 12px; align-items: flex-start; border: 0; padding: 0; margin: 8px 0 4px; flex-wrap: wrap; }
.tl-seq-delay legend { font-size: 13px; font-weight: 500; padding: 0; margin-bottom: 6px; }
.tl-seq-delay .tl-seq-field { width: 150px; }
.tl-seq-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 0 16px; }
.tl-seq-email { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 20px; align-items: start; }
@media (max-width: 900px) { .tl-seq-email { grid-template-columns: 1fr; } }
.tl-seq-editor { border: 1px solid var(--line); border-radius: 4px; background: var(--bg); }
.tl-seq-editor:focus-within { outline: 2px solid var(--accent); outline-offset: 1px; }
.tl-seq-editor__toolbar { display: flex; gap: 2px; padding: 4px; border-bottom: 1px solid var(--line); background: var(--card); border-radius: 4px 4px 0 0; }
.tl-seq-tool { padding: 2px 8px; min-width: 30px; border-color: transparent; background: none; color: var(--fg); }
.tl-seq-tool[aria-pressed=true] { background: var(--bg); border-color: var(--line); color: var(--accent); }
.tl-seq-editor__content { min-height: 140px; padding: 8px 12px; outline: none; color: var(--fg); }
.tl-seq-editor__content p { margin: 0 0 8px; }
.tl-seq-tokens { display: flex; gap: 8px 12px; align-items: flex-end; flex-wrap: wrap; border: 1px dashed var(--line); border-radius: 6px; padding: 8px 12px 10px; margin: 0 0 12px; }
.tl-seq-tokens legend { font-size: 12px; color: var(--muted); padding: 0 4px; }
.tl-seq-tokens select, .tl-seq-tokens input { min-width: 150px; }
.tl-seq-tokens p { flex-basis: 100%; margin: 0; }
.tl-seq-variants__tabs { display: flex; gap: 4px; flex-wrap: wrap; }
.tl-seq-variant-tab[aria-pressed=true] { background: var(--accent); color: var(--bg); border-color: var(--accent); }
.tl-seq-variants { margin-bottom: 12px; }
.tl-seq-row { display: flex; gap: 8px; flex-wrap: wrap; margin-bottom: 12px; }
.tl-seq-preview { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 0; position: sticky; top: 64px; }
.tl-seq-preview h4 { margin: 0 0 8px; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); font-weight: 500; }
.tl-seq-preview__to { margin: 0; font-size: 12px; color: var(--muted); }
.tl-seq-preview__subject { margin: 4px 0 8px; font-weight: 500; border-bottom: 1px solid var(--line); padding-bottom: 8px; }
.tl-seq-preview__body { overflow-wrap: anywhere; }
.tl-seq-preview__body p { margin: 0 0 8px; }
.tl-seq-add { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 0 0 24px; padding: 12px; border: 1px dashed var(--line); border-radius: 8px; }
.tl-seq-undo { background: var(--card); border-radius: 6px; padding: 6px 12px; margin: 0 0 8px; }
.tl-seq-checks { display: flex; flex-direction: column; gap: 8px; }
.tl-seq-schedule .tl-seq-grid { margin-bottom: 8px; }
.tl-seq-schedule td { white-space: nowrap; font-variant-numeric: tabular-nums; }
`;
