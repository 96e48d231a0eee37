/** The Settings page's own CSS, on top of components/options/styles.ts (same variables, light and dark). */
export const SETTINGS_CSS = `
.tl-settings { display: grid; grid-template-columns: 190px minmax(0, 1fr); gap: 32px; align-items: start; }
.tl-settings-toc { position: sticky; top: 72px; }
.tl-settings-toc h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 4px 0 8px 10px; }
.tl-settings-toc ul { list-style: none; margin: 0; padding: 0; }
.tl-settings-toc a { display: block; padding: 6px 10px; border-radius: 6px; color: var(--fg); text-decoration: none; }
.tl-settings-toc a:hover { background: var(--card); }
.tl-settings-toc a[aria-current="location"] { color: var(--accent); background: var(--card); font-weight: 500; }
.tl-settings section { scroll-margin-top: 72px; }
.tl-settings fieldset { border: 0; padding: 0; margin: 16px 0 0; }
.tl-settings legend { font-weight: 500; padding: 0; margin-bottom: 8px; }
.tl-settings textarea { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 4px; padding: 6px 8px; width: 100%; box-sizing: border-box; min-height: 72px; }
.tl-settings label.check { flex-direction: row; align-items: center; gap: 8px; font-size: 14px; color: var(--fg); }
.tl-settings label.check input { min-width: 0; }
.tl-settings label.wide { flex: 1 1 100%; }
.tl-settings input[type="number"] { min-width: 0; width: 110px; }
.tl-settings input[type="time"] { min-width: 0; width: 120px; }
.tl-settings .field { display: flex; flex-direction: column; gap: 4px; }
.tl-settings .field-hint { font-size: 12px; color: var(--muted); }
.tl-settings .status { color: var(--muted); margin: 8px 0 0; }
.tl-settings .ok { color: #188038; }
.tl-settings ul.plain { list-style: none; margin: 0; padding: 0; }
.tl-settings ul.plain li { display: flex; align-items: center; gap: 12px; padding: 6px 0; border-top: 1px solid var(--line); }
.tl-settings ul.plain li:first-child { border-top: 0; }
.tl-settings ul.scroll { max-height: 320px; overflow: auto; }
.tl-settings table { border-collapse: collapse; width: 100%; font-size: 13px; }
.tl-settings th, .tl-settings td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: middle; }
.tl-settings th { color: var(--muted); font-weight: 500; }
.tl-settings .table-wrap { overflow-x: auto; margin: 8px 0 12px; }
.tl-settings td select { min-width: 180px; }
.tl-settings .report { display: flex; gap: 24px; margin: 12px 0; }
.tl-settings .report div { display: flex; flex-direction: column; }
.tl-settings .report strong { font-size: 20px; font-weight: 500; }
.tl-settings .report span { font-size: 12px; color: var(--muted); }
.tl-settings .rejected { border-left: 3px solid var(--danger); padding: 4px 12px; margin: 8px 0; }
.tl-settings .rejected h3 { font-size: 13px; margin: 0 0 4px; color: var(--danger); font-weight: 500; }
.tl-settings .rejected ul { margin: 0; padding-left: 18px; max-height: 200px; overflow: auto; }
.tl-settings .danger-zone { border-top: 1px solid var(--line); margin-top: 20px; padding-top: 16px; }
.tl-settings .danger-zone h3 { font-size: 14px; font-weight: 500; color: var(--danger); margin: 0 0 4px; }
.tl-settings button.danger { color: var(--bg); background: var(--danger); border-color: var(--danger); }
.tl-settings .file-button input[type="file"] { position: absolute; width: 1px; height: 1px; opacity: 0; }
.tl-settings .file-button { position: relative; flex-direction: row; font-size: 14px; color: var(--accent); border: 1px solid var(--line); border-radius: 4px; padding: 6px 14px; background: var(--bg); cursor: pointer; }
.tl-settings .file-button:focus-within { outline: 2px solid var(--accent); outline-offset: 2px; }
@media (max-width: 760px) { .tl-settings { grid-template-columns: 1fr; } .tl-settings-toc { position: static; } }
`;
