/**
 * CPU seconds used by Chromium's processes and threads, read from Linux's /proc, so a benchmark
 * can say where the time went: the extraction workers, the page's main thread, the browser process
 * (file reads, IndexedDB, IPC) or the GPU process (drawing the page). Threads that exit between
 * polls (terminated workers) keep the last figure seen.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const TICK_S = 0.01; // USER_HZ is 100 on Linux.

export type CpuPart = 'extraction workers' | 'page main thread' | 'rest of the page' | 'browser process' | 'GPU process' | 'other';

function partOf(type: string, thread: string): CpuPart {
  if (type === 'renderer') return thread === 'DedicatedWorker' ? 'extraction workers' : thread === 'chromium' ? 'page main thread' : 'rest of the page';
  if (type === 'browser') return 'browser process';
  if (type === 'gpu-process') return 'GPU process';
  return 'other';
}

/** Ticks per thread of every chromium process, keyed "pid/tid". */
function sample(): Map<string, { part: CpuPart; ticks: number }> {
  const out = new Map<string, { part: CpuPart; ticks: number }>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('chromium')) continue;
      const type = /--type=([a-z-]+)/.exec(cmd)?.[1] ?? 'browser';
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        out.set(`${pid}/${tid}`, { part: partOf(type, name), ticks: Number(fields[11]) + Number(fields[12]) });
      }
    } catch {
      // The process or thread ended while being read.
    }
  }
  return out;
}

/** Starts counting; stop() returns CPU seconds per part since the start. Null off Linux. */
export function startCpuCount(): { stop(): Map<CpuPart, number> } | null {
  if (!existsSync('/proc/self/task')) return null;
  const start = sample();
  const last = new Map(start);
  const poll = setInterval(() => { for (const [k, v] of sample()) last.set(k, v); }, 50);
  return {
    stop() {
      clearInterval(poll);
      for (const [k, v] of sample()) last.set(k, v);
      const parts = new Map<CpuPart, number>();
      for (const [k, v] of last) {
        const used = (v.ticks - (start.get(k)?.ticks ?? 0)) * TICK_S;
        if (used > 0) parts.set(v.part, (parts.get(v.part) ?? 0) + used);
      }
      return parts;
    },
  };
}
