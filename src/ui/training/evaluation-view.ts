import { LitElement, html, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Evaluation } from '../../evaluation/evaluate';
import './confusion-clips';
import { briefList, MAX_MATRIX_GENRES } from '../shared/many-genres';
import { charts } from '../shared/vis';

/** Confusion matrix and per-genre accuracy on the test split (tfjs-vis), with a table as text. */
@customElement('evaluation-view')
export class EvaluationView extends LitElement {
  @property({ attribute: false }) evaluation: Evaluation | undefined;
  @property({ attribute: false }) genres: string[] = [];

  protected override createRenderRoot() {
    return this;
  }

  override render() {
    const ev = this.evaluation;
    if (!ev || ev.segments === 0) return html``;
    const many = this.genres.length > MAX_MATRIX_GENRES;
    const untested = ev.perGenre.filter((g) => g.segments === 0).map((g) => g.genre);
    const table = html`<table data-testid="per-genre">
      <thead><tr><th scope="col">Genre</th><th scope="col" class="num">Accuracy</th><th scope="col" class="num">Test segments</th></tr></thead>
      <tbody>${ev.perGenre.map((g) => html`<tr><th scope="row">${g.genre}</th><td class="num">${g.segments ? `${(100 * g.accuracy).toFixed(1)} %` : '—'}</td><td class="num">${g.segments}</td></tr>`)}</tbody>
    </table>`;
    if (many) {
      return html`
        <details><summary>Accuracy per genre (${this.genres.length} genres, test segments)</summary>${table}</details>
        <confusion-clips .clips=${ev.clipResults ?? []} .genres=${this.genres}></confusion-clips>
      `;
    }
    return html`
      <div style="display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start">
        <figure style="margin:0">
          <figcaption><strong>Confusion matrix</strong> (test segments; rows: true genre, columns: predicted)</figcaption>
          <div data-chart="confusion" role="img"
            aria-label="Confusion matrix of the test split by segment; the table of test clips below gives the counts by clip"></div>
        </figure>
        <figure style="margin:0">
          <figcaption><strong>Accuracy per genre</strong> (test segments)${untested.length ? html`; no test clip, so no bar: ${briefList(untested, 5)}` : ''}</figcaption>
          <div data-chart="per-genre" role="img" aria-label="Accuracy per genre; the table gives the numbers"></div>
          ${table}
        </figure>
      </div>
      <confusion-clips .clips=${ev.clipResults ?? []} .genres=${this.genres}></confusion-clips>
    `;
  }

  protected override async updated(changed: PropertyValues<this>): Promise<void> {
    const ev = this.evaluation;
    if (!changed.has('evaluation') || !ev || ev.segments === 0) return;
    const cm = this.querySelector<HTMLElement>('[data-chart="confusion"]');
    const bars = this.querySelector<HTMLElement>('[data-chart="per-genre"]');
    if (cm) await charts.confusionMatrix(cm, ev.confusion, this.genres, { width: 420, height: 380, counting: 'test segments' });
    if (bars)
      await charts.barchart(
        bars,
        ev.perGenre.filter((g) => g.segments > 0).map((g) => ({ label: g.genre, value: g.accuracy })),
        { width: 420, height: 220, yLabel: 'accuracy' },
      );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'evaluation-view': EvaluationView;
  }
}
