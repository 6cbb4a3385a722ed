import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { FEATURE_CHOICES, type FeatureChoice } from '../../dataset/feature-choices';
import { defaultPoolSize } from '../../features/pool';
import type { ModelMetadata } from '../../saving/metadata';
import type { ModelFiles } from '../../saving/artifacts';
import type { DatasetSession, LastSession } from '../../app/dataset-session';
import { datasetContext } from '../shared/app-context';
import { StoreWatch } from '../shared/store-watch';
import './clip-inspector';
import './dataset-input';
import type { FilesChosenDetail } from './dataset-input';
import './dataset-summary';
import { downloadBlob } from '../shared/download';
import './extraction-progress';
import { panelStyles } from '../shared/styles';

/**
 * Step 1: get a dataset in and turn it into features. Draws the page's dataset session (the
 * extraction, the cache, the checks: src/app/dataset-session.ts) and hands it what the user does.
 */
@customElement('dataset-panel')
export class DatasetPanel extends LitElement {
  static override styles = panelStyles;

  @consume({ context: datasetContext }) @property({ attribute: false }) session!: DatasetSession;
  /** The split of the last trained model (set by the page), exported with the .npz. */
  @property({ attribute: false }) lastSplit: ModelMetadata['split'] | undefined;
  /** The page's model, for the inspector's explanations. */
  @property({ attribute: false }) model: { files: ModelFiles; metadata: ModelMetadata } | undefined;
  /** The clip the inspector showed when last drawn, to scroll to a newly opened one. */
  private shownClip: object | undefined;

  constructor() {
    super();
    new StoreWatch(this, () => this.session);
  }

  protected override updated(): void {
    const clip = this.session.inspecting;
    if (clip && clip !== this.shownClip) this.renderRoot.querySelector('clip-inspector')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    this.shownClip = clip;
  }

  /** A new feature choice: the folder in hand is extracted again with it; without one, it applies to the next folder. */
  private async onChoice(e: Event) {
    await this.session.useChoice((e.target as HTMLSelectElement).value as FeatureChoice);
  }

  override render() {
    const d = this.session;
    return html`
      <section class="panel" aria-labelledby="dataset-heading">
        <h2 id="dataset-heading">1. Dataset and features</h2>
        <p class="row"><label>Features
          <select ?disabled=${!!d.running || !!d.busy} @change=${this.onChoice}>
            ${FEATURE_CHOICES.map((c) => html`<option value=${c.id} ?selected=${c.id === d.choice}>${c.label}</option>`)}
          </select></label></p>
        <dataset-input ?disabled=${!!d.running || !!d.busy} @files-chosen=${this.onFilesChosen}></dataset-input>
        ${d.lastSession && !d.features && !d.running ? html`
          <p class="row" data-testid="restore-offer">${this.restoreOffer(d.lastSession)}
            <button @click=${() => d.restoreLast()}>Restore last dataset</button></p>` : ''}
        ${d.message ? html`<p class="error" role="alert">${d.message}</p>` : ''}
        ${d.storageNote ? html`<p class="warning" role="status">${d.storageNote}</p>` : ''}
        ${d.busy ? html`<p role="status">${d.busy}</p>` : ''}
        <extraction-progress .progress=${d.progress} ?running=${!!d.running} .workers=${defaultPoolSize()}
          @cancel=${() => d.cancel()}></extraction-progress>
        <dataset-summary .data=${d.summary} @inspect-clip=${this.onInspect}></dataset-summary>
        <clip-inspector .clip=${d.inspecting} .settings=${d.featureSettings} .model=${this.model}
          @close=${() => d.closeInspector()}></clip-inspector>
        <div class="row">
          <button class="secondary" ?disabled=${!d.features || !!d.running || !!d.busy} @click=${this.exportFeatures}>Export features</button>
          <button class="secondary" ?disabled=${!d.features || !!d.running || !!d.busy} @click=${this.exportNpz}>Export .npz (NumPy)</button>
          <button class="secondary" ?disabled=${!!d.running} @click=${() => d.clearCache()}>Clear cached features</button>
        </div>
      </section>
    `;
  }

  private onFilesChosen(e: CustomEvent<FilesChosenDetail>) {
    void this.session.filesChosen(e.detail);
  }

  private onInspect(e: CustomEvent<{ path: string }>) {
    this.session.inspect(e.detail.path);
  }

  private restoreOffer(last: LastSession): string {
    const total = last.clipKeys.length;
    if (last.present === total) return `Features of your last dataset are kept in this browser (${total} clips, ${last.genres.length} genres).`;
    return `Features of your last dataset are partly kept in this browser: ${last.present} of its ${total} clips (${last.presentGenres} of ${last.genres.length} genres); `
      + `the others were removed from storage (in another tab, or by the browser to free space).`;
  }

  private async exportNpz() {
    const blob = await this.session.exportNpz(this.lastSplit);
    if (blob) downloadBlob(blob, 'features.npz');
  }

  private async exportFeatures() {
    const blob = await this.session.exportDataJson();
    if (blob) downloadBlob(blob, 'data.json');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'dataset-panel': DatasetPanel;
  }
}
