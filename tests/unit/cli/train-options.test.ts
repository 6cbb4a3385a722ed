import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../src/cli/args';
import { presetHelp, presetOf, TRAIN_BOOLEAN_FLAGS, TRAIN_VALUE_FLAGS, trainOptions } from '../../../src/cli/train-options';
import { PRESETS } from '../../../src/model/training/presets';

const argsOf = (...argv: string[]) => parseArgs(['data.json', ...argv], { values: TRAIN_VALUE_FLAGS, booleans: TRAIN_BOOLEAN_FLAGS });
const optionsOf = (...argv: string[]) => {
  const a = argsOf(...argv);
  return trainOptions(a, presetOf(a));
};

describe('npm run train\'s options', () => {
  it('a preset fills every field, and any flag overrides it whatever its place', () => {
    const cnn = optionsOf('--preset', 'cnn');
    expect(cnn.model).toEqual(PRESETS.cnn.model);
    expect(cnn.train).toEqual({ ...PRESETS.cnn.train, seed: 42 });
    const over = optionsOf('--epochs', '7', '--preset', 'cnn', '--no-standardize', '--filters', '32', '--schedule', 'plateau', '--early-stopping', '0');
    expect(over.model.filters).toBe(32);
    expect(over.train).toMatchObject({ epochs: 7, standardize: false, schedule: 'plateau', earlyStopping: 0, augment: PRESETS.cnn.train.augment });
  });

  it('without a preset, the reference recipe as before', () => {
    const o = optionsOf();
    expect(o.model).toMatchObject({ architecture: 'lstm', lstmUnits: [64, 64], denseUnits: 64, dropout: 0.3, learningRate: 1e-4 });
    expect(o.train).toMatchObject({ epochs: 30, batchSize: 32, standardize: false, earlyStopping: 0, schedule: 'constant' });
    expect(o.split.mode).toBe('clip');
  });

  it('names the presets, and refuses one that is none', () => {
    expect(presetHelp().split('\n')).toHaveLength(4);
    expect(presetHelp()).toMatch(/\n {2}recipe {2}the reference recipe exactly/);
    expect(() => optionsOf('--preset', 'best')).toThrow(/^--preset best is not a preset\.\npresets/);
    expect(() => optionsOf('--schedule', 'step')).toThrow('--schedule must be constant, cosine, plateau');
    expect(() => optionsOf('--early-stopping=-1')).toThrow(/arly stopping/);
  });

  it('takes a seed from 0 to 4294967295, the range train.py takes, and refuses others in its words', () => {
    expect(optionsOf('--seed', '4294967295').train.seed).toBe(4294967295);
    expect(optionsOf('--seed', '0').split.seed).toBe(0);
    for (const bad of ['4294967296', '2.5', '-1']) {
      expect(() => optionsOf(`--seed=${bad}`)).toThrow(`--seed must be a whole number from 0 to 4294967295, got ${bad}`);
    }
  });
});
