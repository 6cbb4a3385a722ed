/**
 * What the CLIs write reaches a terminal, and genre names, clip names and error messages come
 * from files anyone can make: an escape sequence in a genre name could clear the screen, retitle
 * the window or print a fake result over the real one. Control characters, DEL, the C1
 * range and the bidirectional overrides are written as escapes (\x1b, \u202e) instead.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds
const UNSAFE_IN_A_NAME = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escaped = (c: string) => {
  const n = c.charCodeAt(0);
  return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
};

/** A line of output made safe: newlines and tabs stay, every other control character is escaped. */
export function safeText(text: string): string {
  return text.replace(UNSAFE, escaped);
}

/** A name (genre, clip, file) made safe to print inside a line: newlines and tabs escaped too. */
export function printable(name: string): string {
  return name.replace(UNSAFE_IN_A_NAME, escaped);
}

/** Every string console.log, console.error and console.warn write goes through safeText. */
export function guardConsole(): void {
  for (const method of ['log', 'error', 'warn'] as const) {
    const write = console[method].bind(console);
    console[method] = (...args: unknown[]) => write(...args.map((a) => (typeof a === 'string' ? safeText(a) : a)));
  }
}

guardConsole();
