import { LitElement, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { FeatureSet } from '../../dataset/feature-set';
import { segmentCount } from '../../dataset/feature-set';
import type { GtzanSummary } from '../../dataset/gtzan';
import { splitInputOf, toTrainingData } from '../../dataset/training-data';
import { DEFAULT_SPLIT, type SplitMode } from '../../model/data/split-options';
import type { Evaluation } from '../../evaluation/evaluate';
import { describeAccuracy } from '../../evaluation/intervals';
import { intervalText } from '../../evaluation/describe-metrics';
import { LEAK_LABELS, leakModes, leakResult, leakSentence, type LeakResult } from '../../evaluation/leak-report';
import type { TrainEvent } from '../../model/training/train-protocol';
import { tuningPlan } from '../../tuning/tuning-run';
import { ActivityFlag } from '../../app/activity';
import { panelStyles } from '../shared/styles';
import { TrainerClient } from '../shared/trainer-client';
import { charts } from '../shared/vis';
import { DEFAULT_THREADS, modelOf, trainOf, type TrainingSettings } from '../../app/training-settings';

/** "; balanced 61.3 % (95 % interval 48.0–74.2 %)": the mean per-genre clip accuracy, where the evaluation has it. */
function balancedOf(e: Evaluation): string {
  if (e.balancedClipAccuracy === undefined) return '';
  const i = e.intervals?.balancedClip;
  return `; balanced ${(100 * e.balancedClipAccuracy).toFixed(1)} %${i ? ` (95 % interval ${intervalText(i)})` : ''}`;
}

const LEAK_BARS: Record<SplitMode, string> = { segment: 'by segment', clip: 'by clip', filtered: 'fault-filtered', artist: 'by artist' };

interface Row {
  mode: SplitMode;
  status: string;
  evaluation?: Evaluation;
  /** What makes this split's numbers weak (the split preview's warnings), and the genres its sides lack. */
  warnings?: string[];
  missing?: { train: string[]; test: string[] };
}

/**
 * The leak report: the form's settings trained on the seed's by-segment split, the by-clip split
 * and on GTZAN the artist-disjoint one, side by side on the cores as tuning runs its trials, and
 * their test accuracies with intervals in one chart and one sentence.
 */
@customElement('leak-report')
export class LeakReport extends LitElement {
  static override styles = [panelStyles];

  @property({ attribute: false }) features: FeatureSet | undefined;
  @property({ attribute: false }) settings: TrainingSettings | undefined;
  @property({ attribute: false }) gtzan: GtzanSummary | undefined;
  /** Another run holds the machine (the training form's): the report waits for it. */
  @property({ type: Boolean }) busy = false;
  @state() private rows: Row[] = [];
  @state() private running = false;
  @state() private message = '';
  private readonly clients = new Set<TrainerClient>();
  private readonly activity = new ActivityFlag('leak report', () => this.stop());

  override disconnectedCallback(): void {
    this.stop();
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.activity.set(this.running, `${this.results().length}/${this.rows.length} splits`);
    // A report describes the features it was made on; new ones clear it.
    if (changed.has('features') && changed.get('features') && !this.running) this.rows = [];
  }

  override render() {
    const done = this.results();
    return html`
      <h3>Leak report</h3>
      <p class="muted">How much of an accuracy is the split's doing: the settings above trained on the by-segment split (the seed's, leaky),
        the by-clip split${this.gtzan?.recognized ? ' and the artist-disjoint split' : ''}, ${this.planText()}, each tested on its own held-out clips.</p>
      <div class="row">
        <button class="secondary" ?disabled=${!this.features || this.running || this.busy} @click=${this.start}>Run the leak report</button>
        <button class="secondary" ?disabled=${!this.running} @click=${this.stop}>Stop the report</button>
      </div>
      ${this.message ? html`<p class="error" role="alert">${this.message}</p>` : ''}
      ${this.rows.length ? html`<table data-testid="leak-table">
        <caption class="visually-hidden">Test accuracy per split</caption>
        <thead><tr><th scope="col">Split</th><th scope="col">Test accuracy</th></tr></thead>
        <tbody>${this.rows.map((r) => html`<tr><th scope="row">${LEAK_LABELS[r.mode]}</th><td>${r.evaluation
          ? `${describeAccuracy(r.evaluation.segmentAccuracy, r.evaluation.intervals!.segment, 'segment', r.evaluation.clips)}; `
            + describeAccuracy(r.evaluation.clipAccuracy, r.evaluation.intervals!.clip, 'clip', r.evaluation.clips)
            + balancedOf(r.evaluation)
          : r.status}${r.warnings?.length ? html`<ul class="warning" data-testid="leak-warnings">${r.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : ''}</td></tr>`)}</tbody></table>` : ''}
      ${done.length === this.rows.length && done.length >= 2 ? html`<p class="big" role="status" data-testid="leak-sentence">${leakSentence(done)}</p>` : ''}
      <div data-chart="leak" data-bars=${done.length} role="img"
        aria-label="Test accuracy per segment on each split; the table above gives the numbers and intervals"></div>
    `;
  }

  protected override async updated(changed: PropertyValues): Promise<void> {
    if (!changed.has('rows')) return;
    const el = this.renderRoot.querySelector<HTMLElement>('[data-chart="leak"]');
    const done = this.results();
    if (!el) return;
    if (done.length === 0) {
      el.replaceChildren();
      return;
    }
    // Short names under the bars: long ones stand on end and take the chart's height (the table has the full names).
    await charts.barchart(
      el,
      done.map((r) => ({ label: LEAK_BARS[r.mode], value: r.accuracy })),
      { width: 420, height: 300, yLabel: 'test accuracy per segment' },
    );
  }

  private results(): LeakResult[] {
    return this.rows.filter((r) => r.evaluation).map((r) => leakResult(r.mode, r.evaluation!, r.missing));
  }

  private planText(): string {
    const plan = this.plan();
    if (!plan) return 'side by side on the cores';
    return plan.lanes > 1 ? `${plan.lanes} side by side, ${plan.threadsPerTrial} thread${plan.threadsPerTrial > 1 ? 's' : ''} each` : 'one after another';
  }

  private plan() {
    const f = this.features;
    if (!f) return undefined;
    const cores = Math.max(1, Math.min(DEFAULT_THREADS, Math.floor(this.settings?.threads ?? DEFAULT_THREADS) || 1));
    return tuningPlan(cores, leakModes(this.gtzan ?? { recognized: false, filteredFits: false }).length, segmentCount(f) * f.frames * f.coefficients * 4);
  }

  private async start() {
    const f = this.features;
    const s = this.settings;
    const plan = this.plan();
    if (!f || !s || !plan) return;
    const [{ splitData, splitProblem }, { missingGenres, splitWarnings }, { leakSplits }] = await Promise.all([
      import('../../model/data/split'), import('../../evaluation/split-warnings'), import('../../evaluation/default-split'),
    ]);
    const input = splitInputOf(f);
    const modes = leakSplits(input, this.gtzan ?? { recognized: false, filteredFits: false }, s.seed);
    this.message = '';
    this.rows = modes.map((mode) => {
      const split = splitData(input, { ...DEFAULT_SPLIT, mode, seed: s.seed });
      const problem = splitProblem(input, split);
      if (problem) return { mode, status: `not made: ${problem}` };
      const missing = missingGenres(input, split);
      return { mode, status: 'waiting', warnings: splitWarnings(input, split), missing: { train: missing.train, test: missing.test } };
    });
    const todo = this.rows.filter((r) => r.status === 'waiting').map((r) => r.mode);
    this.running = true;
    let next = 0;
    const lane = async () => {
      while (next < todo.length && this.running) await this.runOne(f, s, todo[next++], plan.threadsPerTrial);
    };
    try {
      await Promise.all(Array.from({ length: Math.min(plan.lanes, todo.length) }, lane));
    } finally {
      this.running = false;
    }
  }

  private setRow(mode: SplitMode, row: Partial<Row>) {
    this.rows = this.rows.map((r) => (r.mode === mode ? { ...r, ...row } : r));
  }

  private runOne(f: FeatureSet, s: TrainingSettings, mode: SplitMode, threads: number): Promise<void> {
    const data = toTrainingData(f);
    this.setRow(mode, { status: 'starting…' });
    return new Promise((resolve) => {
      const client = new TrainerClient((e: TrainEvent) => {
        if (e.type === 'progress' && e.batch) this.setRow(mode, { status: `training: epoch ${e.batch.epoch} of ${s.epochs}` });
        else if (e.type === 'done') finish({ status: e.stopped ? 'stopped' : 'done', evaluation: e.stopped ? undefined : e.evaluation });
        else if (e.type === 'error') {
          this.message = `The ${LEAK_LABELS[mode]} run failed: ${e.message}`;
          finish({ status: 'failed' });
        }
      });
      const finish = (row: Partial<Row>) => {
        client.dispose();
        this.clients.delete(client);
        this.setRow(mode, row);
        resolve();
      };
      this.clients.add(client);
      client.send({
        type: 'train', data, features: f.settings, backend: s.backend, threads,
        options: { model: modelOf(s), train: trainOf(s), split: { ...DEFAULT_SPLIT, mode, seed: s.seed }, fastLstm: s.fastLstm },
      }, [data.x.buffer, data.labels.buffer, data.clipOf.buffer]);
    });
  }

  private stop() {
    this.running = false;
    for (const client of this.clients) client.send({ type: 'stop' });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'leak-report': LeakReport;
  }
}
