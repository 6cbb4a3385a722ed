import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ExtractionProgress as Progress } from '../../features/extraction';
import { panelStyles } from '../shared/styles';

function formatSeconds(s: number): string {
  if (s < 60) return `${Math.ceil(s)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** The progress bar of feature extraction, in clips, with rate, time left and Cancel. */
@customElement('extraction-progress')
export class ExtractionProgressView extends LitElement {
  static override styles = [panelStyles, css`progress { width: min(100%, 28rem); height: 1.1rem; }`];

  @property({ attribute: false }) progress: Progress | undefined;
  @property({ type: Boolean }) running = false;
  @property({ type: Number }) workers = 1;

  override render() {
    const p = this.progress;
    if (!p) return html``;
    const rate = p.clipsPerSecond > 0 ? `${p.clipsPerSecond.toFixed(1)} clips/s` : '';
    const left = this.running && p.secondsLeft !== undefined ? `about ${formatSeconds(p.secondsLeft)} left` : '';
    const cached = p.cached > 0 ? `${p.cached} from cache` : '';
    const failed = p.failed > 0 ? `${p.failed} failed` : '';
    return html`
      <div class="row">
        <progress
          role="progressbar"
          aria-label="Feature extraction"
          aria-valuemin="0"
          aria-valuemax=${p.total}
          aria-valuenow=${p.done}
          max=${Math.max(1, p.total)}
          .value=${p.done}
        ></progress>
        <span data-testid="progress-text">${p.done} / ${p.total} clips</span>
        ${this.running ? html`<button class="secondary" @click=${this.onCancel}>Cancel</button>` : ''}
      </div>
      <p class="muted" aria-live="polite">
        ${[rate, left, cached, failed, this.running ? `${this.workers} worker${this.workers > 1 ? 's' : ''}` : ''].filter(Boolean).join(' · ')}
      </p>
    `;
  }

  private onCancel() {
    this.dispatchEvent(new CustomEvent('cancel', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'extraction-progress': ExtractionProgressView;
  }
}
