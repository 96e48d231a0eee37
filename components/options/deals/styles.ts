/** The Deals board, the Playbooks editor and Process analytics (on top of the options page's OPTIONS_CSS). */
export const DEALS_CSS = `
.tl-options:has(.tld-board-page) { max-width: none; }
.tld-board { display: grid; grid-auto-flow: column; grid-auto-columns: minmax(220px, 1fr); gap: 12px; overflow-x: auto; padding-bottom: 12px; }
.tld-column { margin: 0; padding: 12px; min-height: 200px; }
.tld-column.tld-drop { outline: 2px dashed var(--accent); }
.tld-cards { list-style: none; margin: 8px 0 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }
.tld-card { background: var(--bg); border: 1px solid var(--line); border-left: 4px solid #188038; border-radius: 6px; padding: 8px 10px; cursor: grab; }
.tld-card.tld-amber { border-left-color: #e37400; }
.tld-card.tld-red { border-left-color: var(--danger); }
.tld-card-head { display: flex; justify-content: space-between; gap: 8px; }
.tld-card .hint { margin: 0; font-size: 12px; }
.tld-flags { list-style: none; margin: 6px 0; padding: 0; font-size: 12px; }
.tld-flag::before { content: "● "; }
.tld-flag.tld-error::before { color: var(--danger); }
.tld-flag.tld-warning::before { color: #e37400; }
.tld-flag.tld-info::before { color: var(--muted); }
.tld-move { display: flex; flex-wrap: wrap; gap: 6px; align-items: end; margin-top: 6px; }
.tld-move select { min-width: 0; }
.tld-move-open { margin-top: 6px; padding: 2px 10px; font-size: 12px; }
.tld-more { margin-top: 8px; width: 100%; }
.tld-status { min-height: 1.5em; margin: 0 0 8px; }
.tlp-grid { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 16px; }
.tlp-item { border: 1px solid var(--line); border-radius: 6px; padding: 10px; margin: 8px 0; background: var(--bg); }
.tlp-item textarea { width: 100%; min-height: 80px; font: 12px/1.4 ui-monospace, monospace; box-sizing: border-box; }
.tlp-preview { font-size: 12px; color: var(--muted); margin: 6px 0 0; }
.tlp-kpis { display: flex; gap: 24px; flex-wrap: wrap; margin: 0 0 16px; }
.tlp-kpis div { display: flex; flex-direction: column; }
.tlp-kpis strong { font-size: 22px; font-weight: 500; }
`;
