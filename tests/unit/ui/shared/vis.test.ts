import { describe, expect, it } from 'vitest';
import { chartLabel, fieldLabel, seriesNames } from '../../../../src/ui/shared/vis';

describe('names as the charts hold them', () => {
  it('no name a chart holds is a property of Object.prototype, no two names become one, and the rest are untouched', () => {
    const names = ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'valueOf', '__defineGetter__', 'constructor\u2060', 'blues', 'jazz', '', 'num'];
    const shown = names.map(chartLabel);
    for (const s of shown) expect(s in Object.prototype, s).toBe(false);
    expect(new Set(shown).size).toBe(names.length);
    expect(shown.slice(7)).toEqual(['blues', 'jazz', '', 'num']);
    // The joiner is invisible: what a person reads is the name.
    expect(shown.map((s) => s.replace(/\u2060/g, ''))).toEqual(names.map((s) => s.replace(/\u2060/g, '')));
  });
});

describe('series names as tfjs-vis line charts hold them', () => {
  it('keeps no dot, bracket or backslash (vega reads them as paths into a field) and changes nothing else', () => {
    const names = ['8 units, lr 0.001, batch 32', 'a[0]', 'C:\\runs', 'blues', '__proto__'];
    const shown = names.map(fieldLabel);
    for (const s of shown) expect(s).not.toMatch(/[.[\]\\]/);
    expect(shown[0]).toBe('8 units, lr 0\u2024001, batch 32');
    expect(shown[3]).toBe('blues');
    expect(shown[4] in Object.prototype).toBe(false);
    expect(new Set(shown).size).toBe(names.length);
  });
});

describe('series names as one tfjs-vis chart holds them', () => {
  it('are never two alike: two runs named the same are two lines', () => {
    expect(seriesNames(['lr 0.001', 'lr 0.001', 'x', 'lr 0.001'])).toEqual(['lr 0\u2024001', 'lr 0\u2024001 (2)', 'x', 'lr 0\u2024001 (3)']);
  });
});
