import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { SKIP_WAITING, WHICH_SCRIPT } from '../offline/messages';
import { activities, activityChanged } from '../app/activity';
import { panelStyles } from './shared/styles';

/**
 * Registers the offline service worker and says when a new version of the lab has been installed.
 * The new version waits until this page asks for it: the button reloads only when nothing is
 * running that a reload would lose.
 */
@customElement('update-banner')
export class UpdateBanner extends LitElement {
  static override styles = [panelStyles, css`
    .banner { background: #fff8e6; border: 1px solid #e0b040; border-radius: 8px; padding: 0.5rem 0.9rem; margin: 0.5rem 0; }
  `];

  @state() private waiting: ServiceWorker | undefined;
  @state() private busy: string[] = activities();
  private readonly onActivity = () => (this.busy = activities());

  override connectedCallback(): void {
    super.connectedCallback();
    activityChanged.addEventListener('change', this.onActivity);
    if (import.meta.env.PROD && 'serviceWorker' in navigator) void this.register();
  }

  override disconnectedCallback(): void {
    activityChanged.removeEventListener('change', this.onActivity);
    super.disconnectedCallback();
  }

  private async register(): Promise<void> {
    // The service worker keeps an older version's files while a tab runs it: it asks each tab
    // which script it runs (this module is part of the entry chunk, whose name is its version's).
    navigator.serviceWorker.addEventListener('message', (e: MessageEvent) => {
      if (e.data === WHICH_SCRIPT) e.ports[0]?.postMessage(import.meta.url);
    });
    navigator.serviceWorker.startMessages();
    // A page the worker already controls asks for the registration it has rather than registering
    // again, whose job can wait in the queue behind an update Chromium holds back.
    let reg = await navigator.serviceWorker.getRegistration();
    try {
      reg ??= await navigator.serviceWorker.register('./sw.js');
    } catch (e) {
      console.warn('The lab could not install its offline cache:', e);
      return;
    }
    const registration = reg;
    // Only an update matters here: the first install has no older page to replace.
    const offer = (w: ServiceWorker | null) => {
      if (w && navigator.serviceWorker.controller) this.waiting = w;
    };
    const follow = (w: ServiceWorker | null) => {
      w?.addEventListener('statechange', () => {
        if (w.state === 'installed') offer(w);
      });
    };
    offer(registration.waiting);
    // An update may already be installing (the navigation started it before this ran), and
    // later ones announce themselves with updatefound.
    follow(registration.installing);
    registration.addEventListener('updatefound', () => follow(registration.installing));
    // Chromium defers the update check a navigation schedules while any tab's requests keep the
    // worker busy (a tab extracting or training can hold it off for minutes): ask for it outright
    // on every load, and again whenever the tab comes back into view.
    const check = () => void registration.update().catch(() => undefined);
    check();
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') check();
    });
  }

  override render() {
    if (!this.waiting) return html``;
    const busy = this.busy.length > 0;
    return html`<div class="banner row" role="status" data-testid="update-banner">
      <span>A new version of the lab is ready — reload when convenient.</span>
      <button class="secondary" ?disabled=${busy} @click=${this.reload}>Reload now</button>
      ${busy ? html`<span class="muted">(after the ${this.busy.join(' and ')} finishes: a reload now would lose it)</span>` : ''}
    </div>`;
  }

  private reload() {
    const w = this.waiting;
    if (!w || activities().length > 0) return;
    // Another tab may already have let the new version take over: then a reload is enough.
    if (w.state === 'activated' || w.state === 'redundant') {
      location.reload();
      return;
    }
    navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
    w.postMessage(SKIP_WAITING);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'update-banner': UpdateBanner;
  }
}
