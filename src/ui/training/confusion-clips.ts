import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ClipResult } from '../../evaluation/evaluate';
import { SERIES_COLORS } from '../shared/colors';
import { MAX_MATRIX_GENRES } from '../shared/many-genres';
import { panelStyles } from '../shared/styles';

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

/**
 * The clips behind the numbers: test clips counted by true and predicted genre (by clip), each
 * non-zero cell a button that lists its clips — the probability of both genres, a strip of each
 * segment's top genre over time, and Play / Inspect in the clip inspector — and the most
 * confidently wrong clips.
 */
@customElement('confusion-clips')
export class ConfusionClips extends LitElement {
  static override styles = [panelStyles, css`
    /* Ten genres across would be wider than the page at 800 px: the predicted genres stand on end. */
    table[data-testid="clip-confusion"] thead th.genre { writing-mode: vertical-rl; transform: rotate(180deg); text-align: left; padding: 0.3rem 0.1rem; }
    table[data-testid="clip-confusion"] td { padding: 0.2rem; }
    td.path { overflow-wrap: anywhere; }
  `];
  @property({ attribute: false }) clips: ClipResult[] = [];
  @property({ attribute: false }) genres: string[] = [];
  @state() private cell: [number, number] | undefined;

  override render() {
    const g = this.genres;
    if (this.clips.length === 0 || g.length === 0) return html``;
    // Counted once: a count per cell recounted for every cell was genres² × clips.
    const counts = new Map<number, number>();
    for (const c of this.clips) counts.set(c.label * g.length + c.predicted, (counts.get(c.label * g.length + c.predicted) ?? 0) + 1);
    const count = (t: number, p: number) => counts.get(t * g.length + p) ?? 0;
    const wrong = this.clips.filter((c) => c.label !== c.predicted).sort((a, b) => b.probabilities[b.predicted] - a.probabilities[a.predicted]).slice(0, 10);
    const chosen = this.cell ? this.clips.filter((c) => c.label === this.cell![0] && c.predicted === this.cell![1]) : [];
    const button = (t: number, p: number, n: number) => html`<button class="secondary" aria-pressed=${this.cell?.[0] === t && this.cell?.[1] === p}
      aria-label="${n} ${g[t]} clip${n > 1 ? 's' : ''} predicted ${g[p]}" @click=${() => (this.cell = [t, p])}>${n}</button>`;
    return html`
      ${g.length <= MAX_MATRIX_GENRES ? html`<h4>Test clips by true and predicted genre</h4>
      <table data-testid="clip-confusion">
        <caption class="visually-hidden">Test clips counted by true genre (rows) and predicted genre (columns); choose a count to list its clips</caption>
        <thead><tr><th scope="col">True \\ predicted</th>${g.map((name) => html`<th scope="col" class="num genre">${name}</th>`)}</tr></thead>
        <tbody>${g.map((name, t) => html`<tr><th scope="row">${name}</th>${g.map((_, p) => {
          const n = count(t, p);
          return html`<td class="num">${n ? button(t, p, n) : '0'}</td>`;
        })}</tr>`)}</tbody>
      </table>` : this.confusedPairs(counts, button)}
      ${this.cell ? html`<h4 data-testid="cell-heading">${g[this.cell[0]]} predicted as ${g[this.cell[1]]}: ${chosen.length} clip${chosen.length === 1 ? '' : 's'}</h4>
        ${this.list(chosen, 'cell-clips')}` : ''}
      ${wrong.length ? html`<h4>Most confidently wrong</h4>${this.list(wrong, 'confidently-wrong')}` : ''}
    `;
  }

  /** With many genres, the pairs most often confused instead of the whole table. */
  private confusedPairs(counts: Map<number, number>, button: (t: number, p: number, n: number) => unknown) {
    const g = this.genres;
    const pairs = [...counts]
      .map(([k, n]) => ({ t: Math.floor(k / g.length), p: k % g.length, n }))
      .filter((c) => c.t !== c.p)
      .sort((a, b) => b.n - a.n)
      .slice(0, 15);
    return html`<h4>The genres most often confused (test clips)</h4>
      <p class="muted" data-testid="many-genres-note">${g.length} genres: a table of every pair would hold ${(g.length * g.length).toLocaleString('en')} cells, so only the pairs most often confused are listed.</p>
      ${pairs.length ? html`<table data-testid="confused-pairs"><thead><tr><th scope="col">True genre</th><th scope="col">Predicted</th><th scope="col" class="num">Clips</th></tr></thead>
        <tbody>${pairs.map((c) => html`<tr><th scope="row">${g[c.t]}</th><td>${g[c.p]}</td><td class="num">${button(c.t, c.p, c.n)}</td></tr>`)}</tbody></table>`
        : html`<p>No test clip was confused.</p>`}`;
  }

  private list(clips: ClipResult[], testId: string) {
    const g = this.genres;
    return html`<table data-testid=${testId}>
      <thead><tr><th scope="col">Clip</th><th scope="col" class="num">P(true genre)</th><th scope="col" class="num">P(predicted)</th><th scope="col">Each segment's top genre</th><th scope="col">Listen, look</th></tr></thead>
      <tbody>${clips.map((c) => html`<tr data-clip=${c.path}><td class="path">${c.path.split('/').slice(-2).join('/')}</td>
        <td class="num">${g[c.label]} ${pct(c.probabilities[c.label])}</td><td class="num">${g[c.predicted]} ${pct(c.probabilities[c.predicted])}</td>
        <td>${this.strip(c)}</td>
        <td><button class="secondary" aria-label="Play ${c.path}" @click=${() => this.inspect(c.path, true)}>Play</button>
          <button class="secondary" aria-label="Inspect ${c.path}" @click=${() => this.inspect(c.path, false)}>Inspect</button>
          <button class="secondary" aria-label="Explain ${c.path}" @click=${() => this.inspect(c.path, false, true)}>Explain</button></td></tr>`)}</tbody>
    </table>`;
  }

  /** Asks the page to open the clip in the dataset panel's inspector (and to play it). */
  private inspect(path: string, play: boolean, explain = false) {
    this.dispatchEvent(new CustomEvent('inspect-clip', { detail: { path, play, explain }, bubbles: true, composed: true }));
  }

  /** One small block per segment, coloured by its top genre; the words are its text alternative. */
  private strip(c: ClipResult) {
    const tops = c.segments.map((p) => p.indexOf(Math.max(...p)));
    const words = tops.map((k) => this.genres[k]).join(', ');
    return html`<span role="img" aria-label="Top genre per segment: ${words}" title=${words} style="display:inline-flex;gap:1px">${tops.map((k) =>
      html`<span style="display:inline-block;width:0.6rem;height:0.9rem;background:${SERIES_COLORS[k % SERIES_COLORS.length]}"></span>`)}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'confusion-clips': ConfusionClips;
  }
}
