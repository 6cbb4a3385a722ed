import { describe, expect, it } from 'vitest';
import { chartLabel } from '../../../../src/ui/shared/vis';

describe('names as the charts hold them (N2, N3)', () => {
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
