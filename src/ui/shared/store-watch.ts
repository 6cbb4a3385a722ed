import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Anything that calls its listeners after it changes, such as the training run. */
export interface Watchable {
  subscribe(listener: () => void): () => void;
}

/**
 * Re-renders a Lit element whenever the plain store it reads changes. The store is looked up
 * before each update, so a view may be handed another store later.
 */
export class StoreWatch implements ReactiveController {
  private watched: Watchable | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly host: ReactiveControllerHost, private readonly store: () => Watchable | undefined) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.requestUpdate();
  }

  hostUpdate(): void {
    const store = this.store();
    if (store === this.watched) return;
    this.unsubscribe?.();
    this.watched = store;
    this.unsubscribe = store?.subscribe(() => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.watched = undefined;
  }
}
