/** The rule builder, the stage editor and the rep's automation switches (on top of DEALS_CSS). */
export const RULE_BUILDER_CSS = `
.tlr-group { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; margin: 8px 0; }
.tlr-group[data-depth="1"] { border-left: 3px solid var(--accent); }
.tlr-group[data-depth="2"] { border-left: 3px dashed var(--accent); }
.tlr-group legend { font-weight: 500; padding: 0 4px; }
.tlr-list { margin: 4px 0; padding-left: 20px; display: flex; flex-direction: column; gap: 6px; }
.tlr-row .row { align-items: end; }
.tlr-row .error, .tlr-group .error { margin: 4px 0 0; white-space: pre-wrap; }
.tlr-checks { border: 0; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: center; }
.tlr-checks legend { float: left; margin-right: 8px; font-size: 12px; color: var(--muted); }
.tlr-checks label, .tlp-check { flex-direction: row; align-items: center; gap: 4px; display: inline-flex; }
.tlr-checks input, .tlp-check input { min-width: 0; }
.tlp-sub { border-top: 1px dashed var(--line); padding: 6px 0; }
.tlp-card-preview { border: 1px solid var(--line); border-radius: 6px; padding: 4px 10px; min-height: 80px; font-size: 13px; }
.tlp-switches { list-style: none; margin: 6px 0; padding: 0; display: flex; flex-direction: column; gap: 4px; }
[data-testid="playbook-invalid"] { white-space: pre-wrap; }
`;
