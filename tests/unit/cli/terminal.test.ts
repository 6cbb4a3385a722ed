import { describe, expect, it } from 'vitest';
import { printable, safeText } from '../../../src/cli/terminal';

describe('what the CLIs write to a terminal', () => {
  it('escapes control characters, DEL, C1 and direction overrides; a line keeps its newlines, a name does not', () => {
    expect(printable('\u001b[2J\u001b]0;title\u0007rock\r\u001b[Kjazz 99.9 %')).toBe('\\x1b[2J\\x1b]0;title\\x07rock\\x0d\\x1b[Kjazz 99.9 %');
    expect(printable('a\nb\tc\u007f\u0085\u202e\u2066')).toBe('a\\x0ab\\x09c\\x7f\\x85\\u202e\\u2066');
    expect(safeText('line 1\n\tline 2 \u001b[31mred')).toBe('line 1\n\tline 2 \\x1b[31mred');
    expect(printable('blues ünïcødé #1 (copy)&.wav')).toBe('blues ünïcødé #1 (copy)&.wav');
  });
});
