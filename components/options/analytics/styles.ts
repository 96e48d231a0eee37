/** The analytics page's own CSS, on top of components/options/styles.ts (its variables, light and dark). */
export const ANALYTICS_CSS = `
.tla-page { --tla-c1: #1a73e8; --tla-c2: #9334e6; --tla-c3: #188038; --tla-c4: #e37400; --tla-c5: #d93025; --tla-c6: #12b5cb; --tla-win: #137333; }
@media (prefers-color-scheme: dark) {
  .tla-page { --tla-c1: #8ab4f8; --tla-c2: #c58af9; --tla-c3: #81c995; --tla-c4: #fdd663; --tla-c5: #f28b82; --tla-c6: #78d9ec; --tla-win: #81c995; }
}
.tla-page { max-width: 1200px; }
.tla-title { display: flex; align-items: baseline; gap: 16px; flex-wrap: wrap; }
.tla-title h1 { margin-bottom: 8px; }
.tla-title .hint { margin: 0; }
.tla-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.tla-muted { color: var(--muted); }
.tla-filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: end; padding: 12px 0 4px; position: sticky; top: 53px; background: var(--bg); z-index: 5; }
.tla-field { display: flex; flex-direction: column; gap: 4px; }
.tla-field label { display: block; }
.tla-filters select, .tla-filters input { min-width: 0; }
.tla-filters select { max-width: 260px; }
.tla-range { margin: 0 0 16px; font-size: 12px; }
.tla-state { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 40px 24px; text-align: center; }
.tla-state h2 { font-size: 18px; margin-bottom: 8px; }
.tla-state .hint { max-width: 560px; margin: 0 auto 16px; }
.tla-kpis { list-style: none; margin: 0 0 20px; padding: 0; display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 12px; }
.tla-kpis li { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; display: flex; flex-direction: column; }
.tla-kpi-value { font-size: 26px; font-weight: 500; font-variant-numeric: tabular-nums; }
.tla-kpi-label { color: var(--muted); font-size: 12px; }
.tla-section-head { display: flex; gap: 12px; align-items: flex-start; flex-wrap: wrap; margin-bottom: 12px; }
.tla-section-head .hint { margin: 0; max-width: 720px; }
.tla-toggle { display: inline-flex; }
.tla-toggle button { border-radius: 0; }
.tla-toggle button:first-child { border-radius: 4px 0 0 4px; }
.tla-toggle button:last-child { border-radius: 0 4px 4px 0; border-left: 0; }
.tla-toggle button[aria-pressed="true"] { background: var(--accent); color: var(--bg); border-color: var(--accent); }
.tla-chart { position: relative; width: 100%; }
.tla-beside { display: flex; flex-wrap: wrap; gap: 8px 24px; margin: 0 0 16px; padding: 10px 14px; border: 1px dashed var(--line); border-radius: 6px; }
.tla-beside div { display: flex; flex-direction: column; }
.tla-beside dt { color: var(--muted); font-size: 12px; }
.tla-beside dd { margin: 0; font-variant-numeric: tabular-nums; }
.tla-scroll { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); }
.tla-scroll:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.tla-table { border-collapse: collapse; width: 100%; font-size: 13px; font-variant-numeric: tabular-nums; }
.tla-table th, .tla-table td { padding: 6px 10px; text-align: left; border-bottom: 1px solid var(--line); white-space: nowrap; }
.tla-table thead th { font-weight: 500; color: var(--muted); background: var(--card); position: sticky; top: 0; }
.tla-table tbody th, .tla-table tfoot th { font-weight: 400; }
.tla-table tfoot th, .tla-table tfoot td { font-weight: 600; border-bottom: 0; }
.tla-table .num { text-align: right; }
.tla-table tbody tr:hover { background: var(--card); }
.tla-sort { background: none; border: 0; padding: 0; color: inherit; font: inherit; cursor: pointer; text-align: inherit; }
.tla-sort-mark { display: inline-block; width: 1em; font-size: 10px; }
.tla-pager { display: flex; gap: 8px; align-items: center; justify-content: flex-end; margin-top: 8px; font-size: 12px; color: var(--muted); }
.tla-ab-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 12px; }
.tla-ab { border: 1px solid var(--line); border-radius: 6px; padding: 12px; background: var(--bg); }
.tla-ab h3 { font-size: 14px; font-weight: 500; margin: 0 0 8px; }
.tla-ab-table td, .tla-ab-table th { padding: 4px 8px; }
.tla-meter { display: inline-block; width: 80px; height: 8px; background: var(--line); border-radius: 4px; margin-right: 8px; vertical-align: middle; overflow: hidden; }
.tla-meter span { display: block; height: 100%; background: var(--tla-c1); }
.tla-win { color: var(--tla-win); font-size: 12px; }
.tla-verdict { margin: 10px 0 4px; font-weight: 500; }
.tla-verdict::before { content: "● "; color: var(--muted); }
.tla-verdict.tla-decided::before { color: var(--tla-win); }
.tla-comparisons { margin: 0; padding-left: 18px; color: var(--muted); font-size: 12px; }
.tla-more { margin-top: 12px; }
`;
