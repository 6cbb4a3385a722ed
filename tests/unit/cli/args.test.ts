import { describe, expect, it } from 'vitest';
import { numberFlag, parseArgs } from '../../../src/cli/args';

const known = { values: ['out', 'epochs'], booleans: ['standardize'] };

describe('the CLIs\' flags (util.parseArgs)', () => {
  it('reads values in both spellings, booleans and positionals in any order', () => {
    const a = parseArgs(['data.json', '--out', 'm', '--standardize', '--epochs=3', 'more'], known);
    expect(a.positionals).toEqual(['data.json', 'more']);
    expect(Object.fromEntries(a.flags)).toEqual({ out: 'm', standardize: true, epochs: '3' });
    expect(numberFlag(a, 'epochs', 30)).toBe(3);
    expect(numberFlag(parseArgs([], known), 'epochs', 30)).toBe(30);
  });

  it('names an unknown flag, a missing value and a value that is not a number', () => {
    expect(() => parseArgs(['--epoch', '3'], known)).toThrow(/--epoch/);
    expect(() => parseArgs(['--out'], known)).toThrow(/--out/);
    expect(() => numberFlag(parseArgs(['--epochs', 'ten'], known), 'epochs', 1)).toThrow('--epochs must be a number, got ten');
    expect(() => numberFlag(parseArgs(['--epochs='], known), 'epochs', 1)).toThrow('--epochs must be a number');
  });
});
