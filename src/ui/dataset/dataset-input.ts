import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { filesFromDrop, filesFromInput, type ChosenFile } from './drop-files';
import { panelStyles } from '../shared/styles';

export interface FilesChosenDetail {
  files: ChosenFile[];
  unreadable: { path: string; reason: string }[];
}

/**
 * Where a dataset comes in: a drop zone for folders, files or a data.json, and two pickers.
 * Emits `files-chosen` with every file and its relative path.
 */
@customElement('dataset-input')
export class DatasetInput extends LitElement {
  static override styles = [
    panelStyles,
    css`
      .drop { border: 2px dashed #8796a5; border-radius: 10px; padding: 1rem; background: #fafbfc; }
      .drop.over { border-color: #1d3557; background: #eef3f8; }
      .small { font-size: 0.9rem; }
      label.button { position: relative; }
    `,
  ];

  @property({ type: Boolean }) disabled = false;
  @state() private over = false;
  @state() private reading = false;

  override render() {
    return html`
      <div
        class="drop ${this.over ? 'over' : ''}"
        data-testid="drop-zone"
        @dragover=${this.onDragOver}
        @dragleave=${() => (this.over = false)}
        @drop=${this.onDrop}
      >
        <p><strong>Drop the GTZAN folder here</strong> (<code>genres_original/</code> or <code>genres/</code>), any folder
          of <code>&lt;genre&gt;/&lt;clip&gt;</code> sub-folders, or features already extracted: a <code>data.json</code> or an <code>.npz</code>.</p>
        <div class="row">
          <label class="button">
            <span>Choose dataset folder</span>
            <input
              class="visually-hidden"
              type="file"
              webkitdirectory
              multiple
              aria-label="Choose dataset folder"
              ?disabled=${this.disabled}
              @change=${this.onPick}
            />
          </label>
          <label class="button secondary">
            <span>Open data.json or .npz</span>
            <input class="visually-hidden" type="file" accept=".json,.npz,application/json" aria-label="Open data.json or .npz"
              ?disabled=${this.disabled} @change=${this.onPick} />
          </label>
        </div>
        ${this.reading ? html`<p role="status">Reading the dropped folder…</p>` : ''}
        <p class="muted small">WAV and AU are read by the lab's own decoder; MP3, OGG, FLAC and M4A by your browser's.</p>
      </div>
    `;
  }

  private onDragOver(e: DragEvent) {
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    this.over = true;
  }

  private async onDrop(e: DragEvent) {
    e.preventDefault();
    this.over = false;
    if (this.disabled || !e.dataTransfer) return;
    this.reading = true;
    try {
      const r = await filesFromDrop(e.dataTransfer);
      this.emit({ files: r.files, unreadable: r.unreadable });
    } finally {
      this.reading = false;
    }
  }

  private onPick(e: Event) {
    const input = e.target as HTMLInputElement;
    const files = filesFromInput(input.files);
    // Reset so choosing the same folder again fires another change event.
    input.value = '';
    if (files.length > 0) this.emit({ files, unreadable: [] });
  }

  private emit(detail: FilesChosenDetail) {
    this.dispatchEvent(new CustomEvent<FilesChosenDetail>('files-chosen', { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'dataset-input': DatasetInput;
  }
}
