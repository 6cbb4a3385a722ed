import { LitElement, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { segmentsPerGenre, type FeatureSet } from '../../dataset/feature-set';
import type { GtzanCheck } from '../../dataset/gtzan';
import { visibleName, type SetAside } from '../../dataset/scan';
import './gtzan-check';
import { ENGINE_LABEL } from '../../dsp/mfcc-engine';
import { featureLabel, type FeatureSettings } from '../../dsp/settings';
import type { ClipFailure, ClipInfo } from '../../features/extraction';
import { panelStyles } from '../shared/styles';

/** Per-genre numbers shown before and after extraction. */
export interface GenreRow {
  genre: string;
  clips: number;
  bytes: number;
  /** Known once the clips are decoded. */
  seconds?: number;
  segments?: number;
}

export interface DatasetSummaryData {
  source: string;
  rows: GenreRow[];
  setAside: SetAside[];
  failures: ClipFailure[];
  /** Warnings about the genre names (look-alikes, invisible characters). */
  notes?: string[];
  /** "GTZAN recognised: 999 of its 1 000 clips." on GTZAN. */
  gtzanLine?: string;
  /** GTZAN's dataset check, once the clips have been read. */
  gtzanCheck?: GtzanCheck;
  /** Every clip with its status, listed per genre so any can be opened in the inspector. */
  clips?: { path: string; genre: string; status: string }[];
  /** Set once extraction has finished (or was cancelled). */
  finished?: { cached: number; extracted: number; cancelled: boolean; elapsedSeconds: number; decoders: string[] };
}

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

/** Rows for features that arrive already extracted (a data.json, or restored from the browser). */
export function rowsOf(set: FeatureSet): GenreRow[] {
  const perGenre = segmentsPerGenre(set);
  return set.genres.map((genre) => ({ genre, clips: set.clips.filter((c) => c.genre === genre).length, bytes: 0, segments: perGenre.get(genre) }));
}

/** Fills the audio length and segment columns from extraction results. */
export function withResults(rows: GenreRow[], clips: ClipInfo[]): GenreRow[] {
  return rows.map((r) => {
    const mine = clips.filter((c) => c.genre === r.genre);
    return { ...r, seconds: mine.reduce((s, c) => s + c.seconds, 0), segments: mine.reduce((s, c) => s + c.segments, 0) };
  });
}

/**
 * Names which decoder read how many clips, e.g. "12 clips read by the lab's WAV/AU decoder", and
 * which engine computed the features ("64 log-mel bands computed with WebAssembly SIMD").
 */
export function decoderSummary(clips: ClipInfo[], settings: FeatureSettings): string[] {
  const browser = clips.filter((c) => c.encoding.includes('browser decoder'));
  const own = clips.length - browser.length;
  const out = [`${own} clip${own === 1 ? '' : 's'} read by the lab's own WAV/AU decoder`];
  if (browser.length) {
    const kinds = [...new Set(browser.map((c) => c.encoding.split(' ')[0]))].join(', ');
    out.push(`${browser.length} by the browser's audio decoder (${kinds})`);
  }
  const engines = [...new Set(clips.flatMap((c) => (c.engine ? [c.engine] : [])))];
  if (engines.length) out.push(`${featureLabel(settings)} computed with ${engines.map((e) => ENGINE_LABEL[e]).join(' and ')}`);
  return out;
}

declare global {
  interface HTMLElementTagNameMap {
    'dataset-summary': DatasetSummary;
  }
}
