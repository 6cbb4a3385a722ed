import { parseArgs as parseNodeArgs } from 'node:util';

/** A command line read by Node's own `util.parseArgs`: `--name value`, `--name=value`, `--flag`, positionals. */
export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

/** Reads argv against the flags a command knows; an unknown flag or a missing value is an error. */
export function parseArgs(argv: string[], known: { values: string[]; booleans?: string[] }): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const name of known.values) options[name] = { type: 'string' };
  for (const name of known.booleans ?? []) options[name] = { type: 'boolean' };
  const { values, positionals } = parseNodeArgs({ args: argv, options, allowPositionals: true, strict: true });
  const flags = new Map<string, string | true>();
  for (const [name, value] of Object.entries(values)) if (value !== undefined && value !== false) flags.set(name, value as string | true);
  return { positionals, flags };
}

export function numberFlag(args: ParsedArgs, name: string, fallback: number): number {
  const v = args.flags.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${String(v)}`);
  return n;
}
