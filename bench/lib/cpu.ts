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

/** CPU ticks so far of each process in the tree of `root`. */
function treeTicks(root: number): Map<number, number> {
  const stats = new Map<number, Stat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = stat(entry);
    if (s) stats.set(Number(entry), s);
  }
  const ticks = new Map<number, number>();
  const todo = [root];
  while (todo.length) {
    const pid = todo.pop()!;
    ticks.set(pid, stats.get(pid)?.ticks ?? 0);
    for (const [child, s] of stats) if (s.ppid === pid) todo.push(child);
  }
  return ticks;
}

/**
 * CPU seconds the tree of `root` spent between `before` and now, counted per process: one that
 * exited meanwhile (a pooled PostgreSQL backend closed when idle) is left out rather than
 * taking its whole past off the total.
 */
function treeCpuSince(root: number, before: Map<number, number>): number {
  let ticks = 0;
  for (const [pid, t] of treeTicks(root)) ticks += t - (before.get(pid) ?? 0);
  return ticks / TICKS_PER_SECOND;
}

/** `requests` calls measured by `run`, with the CPU the process tree of `pid` spent per call (ms). */
export async function withCpuPerCall<T>(pid: number, requests: number, run: () => Promise<T>): Promise<[T, number]> {
  const [result, [cpu]] = await withCpuPerCallOf([pid], requests, run);
  return [result, cpu];
}

/**
 * The same for several process trees at once (a server and the PostgreSQL postmaster, whose
 * backends are its children), plus the calling process itself (the load generator) last.
 */
export async function withCpuPerCallOf<T>(pids: number[], requests: number, run: () => Promise<T>): Promise<[T, number[]]> {
  const before = pids.map(treeTicks);
  const own = process.cpuUsage();
  const result = await run();
  const used = process.cpuUsage(own);
  const perCall = pids.map((pid, i) => (treeCpuSince(pid, before[i]) * 1000) / requests);
  return [result, [...perCall, (used.user + used.system) / 1000 / requests]];
}
