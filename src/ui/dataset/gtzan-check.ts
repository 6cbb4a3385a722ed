import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GtzanCheck } from '../../dataset/gtzan';
import { panelStyles } from '../shared/styles';

/** At most this many names in a line; the rest are counted. */
const SHOWN = 20;

function names(list: readonly string[]): string {
  return list.length > SHOWN ? `${list.slice(0, SHOWN).join(', ')} and ${list.length - SHOWN} more` : list.join(', ');
}

/** GTZAN's dataset check, under the dataset summary: what is missing, foreign, different, unreadable. */
@customElement('gtzan-check')
export class GtzanCheckView extends LitElement {
  static override styles = panelStyles;
  @property({ attribute: false }) check: GtzanCheck | undefined;

  override render() {
    const c = this.check;
    if (!c) return html``;
    return html`<section data-testid="gtzan-check" aria-label="GTZAN dataset check">
      <h3>GTZAN dataset check</h3>
      <ul>
        <li data-testid="gtzan-missing">${c.missing.length === 0 ? 'All 1 000 clips are here.'
          : `${c.present} of the 1 000 clips are here; missing (${c.missing.length}): ${names(c.missing)}.`}</li>
        ${c.foreignNames.length ? html`<li data-testid="gtzan-foreign">Not GTZAN's names (${c.foreignNames.length}): ${names(c.foreignNames)}.</li>` : ''}
        <li><span data-testid="gtzan-differing" role="status">${c.hashing ? `Comparing each clip's bytes with the reference copy (MD5): ${c.hashing.done} of ${c.hashing.total}…`
          : c.checked === 0 ? 'Clip bytes were not compared with the reference copy (features from a data.json, or a comparison that was stopped).'
          : c.differing.length === 0 ? `All ${c.checked} clips compared are byte for byte the reference copy (MD5).`
            : `${c.differing.length} of ${c.checked} clips compared differ from the reference copy (MD5): ${names(c.differing)}.
              Differs is not damaged: the reference is the .wav copy mirdata distributes, and other copies or conversions (the original .au files, say) differ in every file.`}</span></li>
        ${c.unreadable ? html`<li>${c.unreadable} could not be read (listed above with the reason).</li>` : ''}
      </ul>
      <p class="muted small">Known faults of GTZAN: 50 exact repetitions, 106 mislabellings (43 conspicuous) and whole artists repeated
        (35 reggae clips are Bob Marley); the fault-filtered split leaves 70 faulty clips out. B. L. Sturm, “An analysis of the GTZAN music
        genre dataset”, ACM MIRUM 2012, and “The GTZAN dataset: its contents, its faults, their effects on evaluation, and its future use”, 2013.</p>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gtzan-check': GtzanCheckView;
  }
}
