export const OPTIONS_CSS = `
:root { color-scheme: light dark; --fg: #1f1f1f; --muted: #5f6368; --bg: #fff; --card: #f8f9fa; --line: #dadce0; --accent: #1a73e8; --danger: #c5221f; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8eaed; --muted: #9aa0a6; --bg: #202124; --card: #292a2d; --line: #3c4043; --accent: #8ab4f8; --danger: #f28b82; } }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.tl-options { max-width: 1100px; margin: 24px auto; padding: 0 24px; }
.tl-options-header { display: flex; align-items: center; gap: 24px; padding: 0 24px; border-bottom: 1px solid var(--line); position: sticky; top: 0; background: var(--bg); z-index: 10; }
.tl-brand { font-size: 18px; font-weight: 500; padding: 14px 0; }
.tl-options-header nav { display: flex; gap: 4px; }
.tl-tab { color: var(--muted); text-decoration: none; padding: 16px 12px 14px; border-bottom: 2px solid transparent; }
.tl-tab[aria-current="page"] { color: var(--accent); border-bottom-color: var(--accent); }
.tl-tab:hover { color: var(--fg); }
.tl-tab:focus-visible, a:focus-visible, textarea:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
h1 { font-size: 22px; font-weight: 500; margin: 0 0 24px; }
h2 { font-size: 16px; font-weight: 500; margin: 0 0 4px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 20px; margin-bottom: 20px; }
p.hint { color: var(--muted); margin: 0 0 16px; }
ul.accounts { list-style: none; padding: 0; margin: 0 0 16px; }
ul.accounts li { display: flex; align-items: center; gap: 12px; padding: 10px 0; border-top: 1px solid var(--line); }
ul.accounts li:first-child { border-top: 0; }
.badge { font-size: 12px; border: 1px solid var(--line); border-radius: 10px; padding: 0 8px; color: var(--muted); }
.grow { flex: 1; }
button { font: inherit; border-radius: 4px; border: 1px solid var(--line); background: var(--bg); color: var(--accent); padding: 6px 14px; cursor: pointer; }
button.primary { background: var(--accent); color: var(--bg); border-color: var(--accent); }
button:disabled { opacity: .6; cursor: default; }
button:focus-visible, input:focus-visible, select:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.row { display: flex; gap: 8px; flex-wrap: wrap; align-items: end; margin-bottom: 12px; }
label { display: flex; flex-direction: column; gap: 4px; font-size: 12px; color: var(--muted); }
input, select { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 4px; padding: 6px 8px; min-width: 200px; }
.error { color: var(--danger); margin: 8px 0 0; }
.tl-warning { border: 1px solid var(--danger); border-left-width: 4px; border-radius: 4px; padding: 8px 12px; margin: 8px 0 16px; }
.tl-warning p { margin: 0 0 8px; }
details { margin-top: 8px; }
.tl-sync-status { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 8px 0 16px; }
.tl-sync-status dt { color: var(--muted); }
.tl-sync-status dd { margin: 0; }
table.tl-table { border-collapse: collapse; width: 100%; margin: 8px 0 12px; }
table.tl-table th, table.tl-table td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); }
table.tl-table th { color: var(--muted); font-weight: 500; font-size: 12px; }
h3 { font-size: 14px; font-weight: 500; margin: 16px 0 4px; }
summary { cursor: pointer; color: var(--muted); }
`;
