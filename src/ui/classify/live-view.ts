import { html } from 'lit';
import { SERIES_COLORS } from '../shared/colors';
import type { LineSeries } from '../shared/line-chart';
import '../shared/line-chart';
import { tabAudioOffered, type LiveListener, type LiveSource } from './live-listener';

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

/** The likeliest genres over the segments heard so far (at most ten), one line each. */
function overTime(l: LiveListener): LineSeries[] {
  const c = l.genres.length;
  const mean = Array.from({ length: c }, (_, k) => l.segments.reduce((s, p) => s + p[k], 0));
  return mean.map((_, k) => k).sort((a, b) => mean[b] - mean[a]).slice(0, 10).sort((a, b) => a - b).map((k) => ({
    name: l.genres[k],
    color: SERIES_COLORS[k % SERIES_COLORS.length],
    points: l.segments.map((p, i) => ({ x: i + 1, y: p[k] })),
  }));
}

/** Listen (the microphone) / Listen to a tab / Stop, the last segment's probabilities and the genre over time. */
export function liveSection(l: LiveListener, model: { files: unknown; metadata: unknown } | undefined) {
  const last = l.segments.at(-1);
  const order = last ? l.genres.map((g, k) => ({ g, p: last[k] })).sort((a, b) => b.p - a.p) : [];
  const tabOffered = tabAudioOffered();
  const listen = (source: LiveSource) => model && void l.start(model as Parameters<LiveListener['start']>[0], source);
  return html`<h3>Listen live</h3>
    <p class="muted">Classifies what the microphone hears, or the sound of a browser tab you share, ${l.segmentSeconds.toFixed(1)} s at a time, until Stop. Nothing heard is stored or sent anywhere.</p>
    <p class="row">${l.state === 'idle'
      ? html`<button ?disabled=${!model} @click=${() => listen('microphone')}>Listen</button>
        <button class="secondary" ?disabled=${!model || !tabOffered} @click=${() => listen('tab')}>Listen to a tab</button>
        ${tabOffered ? '' : html`<span class="muted" data-testid="tab-audio-missing">This browser cannot capture a tab's sound; the microphone still works.</span>`}`
      : html`<button @click=${() => l.stop()}>Stop</button>
        <span role="status" data-testid="live-status">${l.state === 'starting' ? (l.source === 'tab' ? 'Waiting for a tab to be shared…' : 'Starting the microphone…')
          : `Listening${l.source === 'tab' ? ' to the tab' : ''}: ${l.segments.length} segment${l.segments.length === 1 ? '' : 's'} heard.`}</span>`}</p>
    ${l.message ? html`<p class="error" role="alert">${l.message}</p>` : ''}
    ${l.note ? html`<p class="muted" data-testid="live-note">${l.note}</p>` : ''}
    ${last ? html`<h4 data-testid="live-top">Last ${l.segmentSeconds.toFixed(1)} s: ${order[0].g} (${pct(order[0].p)})</h4>
      <table data-testid="live-probabilities" data-segments=${l.segments.length} data-history=${JSON.stringify(l.segments)}>
        <caption class="visually-hidden">Genre probabilities of the last segment heard</caption>
        <thead><tr><th scope="col">Genre</th><th scope="col" class="num">Probability</th><th scope="col"></th></tr></thead>
        <tbody>${order.slice(0, 10).map((o) => html`<tr data-genre=${o.g} data-probability=${o.p}><th scope="row">${o.g}</th><td class="num">${pct(o.p)}</td>
          <td><span class="bar" style="width:${(10 * o.p).toFixed(2)}rem"></span></td></tr>`)}</tbody>
      </table>
      <figure style="margin:0" data-testid="live-over-time">
        <line-chart label="Genre probabilities of each segment heard, one point per segment" xLabel=${`segment heard (${l.segmentSeconds.toFixed(1)} s each)`}
          yLabel="probability" .series=${overTime(l)}></line-chart>
        <figcaption class="muted">Genre over time while listening.</figcaption>
      </figure>` : ''}`;
}
