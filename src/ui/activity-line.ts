import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { activityChanged, activityList, endedNote, type Activity } from '../app/activity';

/**
 * One line, always on screen, saying what runs now (extraction x/y, training epoch e/E, tuning
 * trial t/T) with a Stop for each, so work scrolled out of sight is never forgotten.
 */
@customElement('activity-line')
export class ActivityLine extends LitElement {
  static override styles = css`
    :host { display: block; font-size: 0.9rem; }
    ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; align-items: center; }
    /* Stop first: it stays put while the progress beside it changes width. */
    li { display: flex; gap: 0.4rem; align-items: center; font-variant-numeric: tabular-nums; }
    button {
      font: inherit; font-size: 0.85rem; padding: 0.1rem 0.6rem; border-radius: 6px;
      border: 1px solid #a4161a; background: #fff; color: #a4161a; cursor: pointer;
    }
    button:focus-visible { outline: 3px solid #e07a00; outline-offset: 2px; }
    .idle { color: #56616d; }
    .note { color: #a4161a; }
  `;

  @state() private list: Activity[] = activityList();
  @state() private note = endedNote();
  private readonly onChange = () => {
    this.list = activityList();
    this.note = endedNote();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    activityChanged.addEventListener('change', this.onChange);
    this.onChange();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    activityChanged.removeEventListener('change', this.onChange);
  }

  override render() {
    return html`<div data-testid="activity-line">${this.list.length === 0
      ? html`<span class="idle">Nothing running.</span>${this.note ? html` <span class="note" data-testid="activity-note">${this.note}</span>` : ''}`
      : html`<ul>${this.list.map((a) => html`<li>${a.stop ? html`<button @click=${a.stop} aria-label="Stop ${a.what}">Stop</button>` : ''}
          <span>${cap(a.what)}${a.detail ? `: ${a.detail}` : ''}</span></li>`)}</ul>`}</div>`;
  }
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

declare global {
  interface HTMLElementTagNameMap {
    'activity-line': ActivityLine;
  }
}
