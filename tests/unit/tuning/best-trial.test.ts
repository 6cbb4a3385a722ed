import { describe, expect, it } from 'vitest';
import { bestTrial } from '../../../src/tuning/tuning-run';

describe('the best tuning trial', () => {
  it('is the highest validation accuracy among finished and stopped trials (a Stop keeps what was judged)', () => {
    // As filed: trial 1 finished at 66.1 %, trials 5 and 6 were stopped at 65.8 % and 69.7 %.
    const trials = [
      { n: 1, status: 'done', valAccuracy: 0.661 }, { n: 2, status: 'failed' }, { n: 3, status: 'running' },
      { n: 5, status: 'stopped', valAccuracy: 0.658 }, { n: 6, status: 'stopped', valAccuracy: 0.697 },
    ];
    expect(bestTrial(trials)?.n).toBe(6);
  });

  it('never counts failed or running trials, nor a stopped one without a validation score', () => {
    expect(bestTrial([{ n: 1, status: 'failed', valAccuracy: 0.9 }, { n: 2, status: 'running', valAccuracy: 0.95 }, { n: 3, status: 'stopped' }])).toBeUndefined();
    expect(bestTrial([{ n: 1, status: 'done', valAccuracy: 0.5 }, { n: 2, status: 'done', valAccuracy: 0.5 }])?.n).toBe(1);
  });
});
