import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { StoreWatch } from '../shared/store-watch';
import type { TrainingRun } from '../../app/training-run';

/**
 * A view of the training run: drawn again whenever the run changes, and drawn in its panel's
 * light DOM so the panel's styles apply.
 */
export class RunView extends LitElement {
  @property({ attribute: false }) run: TrainingRun | undefined;

  constructor() {
    super();
    new StoreWatch(this, () => this.run);
  }

  protected override createRenderRoot() {
    return this;
  }
}
