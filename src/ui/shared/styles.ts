import { css } from 'lit';

/** Looks shared by every panel: cards, buttons, tables, a visible focus ring. */
export const panelStyles = css`
  :host { display: block; }
  section.panel {
    background: #fff; border: 1px solid #d5dbe1; border-radius: 10px; padding: 1rem 1.25rem; margin: 1rem 0;
  }
  h2 { font-size: 1.2rem; margin: 0 0 0.75rem; }
  h3 { font-size: 1rem; margin: 1rem 0 0.5rem; }
  p { line-height: 1.45; }
  button, .button {
    font: inherit; padding: 0.45rem 0.9rem; border-radius: 6px; border: 1px solid #1d3557;
    background: #1d3557; color: #fff; cursor: pointer; display: inline-block;
  }
  button.secondary, .button.secondary { background: #fff; color: #1d3557; }
  button:disabled { opacity: 0.5; cursor: not-allowed; }
  button:focus-visible, .button:focus-within, input:focus-visible, select:focus-visible {
    outline: 3px solid #e07a00; outline-offset: 2px;
  }
  table { border-collapse: collapse; margin: 0.5rem 0; }
  th, td { text-align: left; padding: 0.25rem 0.75rem 0.25rem 0; border-bottom: 1px solid #e6eaee; }
  /* A 240-character genre or clip name wraps instead of pushing the page sideways (only where
     names appear: elsewhere a column header must not break mid-word). */
  th[scope="row"], li, code, summary { overflow-wrap: anywhere; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  .muted { color: #56616d; }
  .error { color: #a4161a; }
  .warning { color: #8a5300; }
  .row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
  .visually-hidden {
    position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
    clip: rect(0 0 0 0); white-space: nowrap; border: 0;
  }
`;
