import { LitElement, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { visibleName } from '../../dataset/scan';
import './gtzan-check';
import type { DatasetSummaryData } from '../../app/summary-data';
import { panelStyles } from '../shared/styles';

const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;
const minutes = (s: number) => (s >= 60 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`);

/** Tables: genres with clips, size, audio and segments; files set aside; clips that failed. */
@customElement('dataset-summary')
export class DatasetSummary extends LitElement {
  static override styles = panelStyles;
  @property({ attribute: false }) data: DatasetSummaryData | undefined;
  /** The genres whose clip list is open (rendered only then: GTZAN has 1 000 clips). */
  @state() private open = new Set<string>();

  private renderClips(clips: NonNullable<DatasetSummaryData['clips']>) {
    const genres = [...new Set(clips.map((c) => c.genre))];
    return html`<h3>Clips</h3><p class="muted">Open a genre to list its clips; choose one to look at and listen to it.</p>
      ${genres.map((g) => {
        const mine = clips.filter((c) => c.genre === g);
        return html`<details data-genre=${g} @toggle=${(e: Event) => this.toggle(g, (e.target as HTMLDetailsElement).open)}>
          <summary>${visibleName(g)} (${mine.length})</summary>
          ${this.open.has(g) ? html`<ul data-testid="clip-list">${mine.map((c) => html`<li><button class="secondary" @click=${() => this.inspect(c.path)}
            aria-label="Inspect ${c.path.split('/').pop()}">${c.path.split('/').pop()}</button> <span class="muted">${c.status}</span></li>`)}</ul>` : ''}
        </details>`;
      })}`;
  }

  private toggle(genre: string, open: boolean) {
    const next = new Set(this.open);
    if (open) next.add(genre);
    else next.delete(genre);
    this.open = next;
  }

  private inspect(path: string) {
    this.dispatchEvent(new CustomEvent('inspect-clip', { detail: { path }, bubbles: true, composed: true }));
  }

  override render() {
    const d = this.data;
    if (!d) return html``;
    const total = d.rows.reduce(
      (t, r) => ({ clips: t.clips + r.clips, bytes: t.bytes + r.bytes, seconds: t.seconds + (r.seconds ?? 0), segments: t.segments + (r.segments ?? 0) }),
      { clips: 0, bytes: 0, seconds: 0, segments: 0 },
    );
    const done = d.finished !== undefined || d.rows.every((r) => r.segments !== undefined);
    return html`
      <h3>${d.source}</h3>
      ${d.gtzanLine ? html`<p data-testid="gtzan-recognised"><strong>${d.gtzanLine}</strong></p>` : ''}
      <table data-testid="genre-table">
        <caption class="visually-hidden">Genres found</caption>
        <thead><tr><th scope="col">Genre</th><th scope="col" class="num">Clips</th><th scope="col" class="num">Size</th>
          <th scope="col" class="num">Audio</th><th scope="col" class="num">Segments</th></tr></thead>
        <tbody>
          ${d.rows.map((r) => html`<tr><th scope="row">${visibleName(r.genre)}</th><td class="num">${r.clips}</td><td class="num">${r.bytes ? mb(r.bytes) : '—'}</td>
            <td class="num">${r.seconds !== undefined ? minutes(r.seconds) : done ? '—' : '…'}</td><td class="num">${r.segments ?? '…'}</td></tr>`)}
        </tbody>
        <tfoot><tr><th scope="row">Total</th><td class="num">${total.clips}</td><td class="num">${total.bytes ? mb(total.bytes) : '—'}</td>
          <td class="num">${done && total.seconds ? minutes(total.seconds) : done ? '—' : '…'}</td><td class="num" data-testid="segment-total">${done ? total.segments : '…'}</td></tr></tfoot>
      </table>
      ${d.finished ? html`<p role="status" data-testid="extraction-summary">
          ${d.finished.cancelled ? 'Cancelled. ' : ''}${total.segments} segments from ${d.rows.filter((r) => (r.segments ?? 0) > 0).length} genres:
          ${d.finished.extracted} clips extracted, ${d.finished.cached} from the cache, ${d.failures.length} failed,
          in ${d.finished.elapsedSeconds.toFixed(1)} s. ${d.finished.decoders.join('; ')}</p>` : ''}
      ${d.notes?.length ? html`<ul class="warning" data-testid="genre-notes">${d.notes.map((n) => html`<li>${n}</li>`)}</ul>` : ''}
      ${d.failures.length ? html`<details ?open=${d.failures.length <= 10}><summary><h3 class="error" style="display:inline">Clips that could not be used (${d.failures.length})</h3></summary>
        <ul data-testid="failures">${d.failures.map((f) => html`<li><code>${f.path}</code>: ${f.reason}</li>`)}</ul></details>` : ''}
      <gtzan-check .check=${d.gtzanCheck}></gtzan-check>
      ${d.clips?.length ? this.renderClips(d.clips) : ''}
      ${d.setAside.length ? html`<details data-testid="set-aside"><summary>Files set aside (${d.setAside.length})</summary>
        <ul>${d.setAside.map((f) => html`<li><code>${f.path}</code>: ${f.reason}</li>`)}</ul></details>` : ''}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'dataset-summary': DatasetSummary;
  }
}
