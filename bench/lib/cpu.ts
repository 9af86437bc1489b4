/**
 * CPU seconds (user + system) used so far by a process and all its descendants, from /proc
 * (Linux). A server started through a wrapper runs in a child process: the tree is what counts.
 * Unlike req/s, CPU per request hardly moves when other work shares the machine.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface Stat {
  ppid: number;
  ticks: number;
}

function stat(pid: string): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name, in parentheses, may hold spaces: the fields start after its last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null; // gone meanwhile
  }
}

export function treeCpuSeconds(root: number): number {
  const stats = new Map<number, Stat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = stat(entry);
    if (s) stats.set(Number(entry), s);
  }
  let ticks = 0;
  const todo = [root];
  while (todo.length) {
    const pid = todo.pop()!;
    ticks += stats.get(pid)?.ticks ?? 0;
    for (const [child, s] of stats) if (s.ppid === pid) todo.push(child);
  }
  return ticks / TICKS_PER_SECOND;
}

/** `requests` calls measured by `run`, with the CPU the process tree of `pid` spent per call (ms). */
export async function withCpuPerCall<T>(pid: number, requests: number, run: () => Promise<T>): Promise<[T, number]> {
  const before = treeCpuSeconds(pid);
  const result = await run();
  return [result, ((treeCpuSeconds(pid) - before) * 1000) / requests];
}
