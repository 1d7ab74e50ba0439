import { readdirSync, readFileSync } from 'node:fs';

// Linux /proc: utime and stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 Hz).
const TICKS_PER_SECOND = 100;

interface ProcStat {
  pid: number;
  ppid: number;
  name: string;
  cpuMs: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces; fields after it are positional.
    const close = text.lastIndexOf(')');
    const name = text.slice(text.indexOf('(') + 1, close);
    const fields = text.slice(close + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { pid, ppid: Number(fields[1]), name, cpuMs: (ticks * 1000) / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

function allProcesses(): ProcStat[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => readStat(Number(entry)))
    .filter((s): s is ProcStat => s !== undefined);
}

/**
 * CPU time used so far, in ms, by each named group: a group is either a root pid with all its
 * descendants (a service started through tsx runs in a child node process) or every process
 * with a given command name (all Postgres backends, nats-server).
 */
export function cpuByGroup(groups: Record<string, { pid: number } | { name: string }>): Record<string, number> {
  const procs = allProcesses();
  const children = new Map<number, ProcStat[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out: Record<string, number> = {};
  for (const [group, selector] of Object.entries(groups)) {
    if ('name' in selector) {
      out[group] = procs.filter((p) => p.name === selector.name).reduce((sum, p) => sum + p.cpuMs, 0);
      continue;
    }
    out[group] = treeOf(selector.pid, procs, children).reduce((sum, p) => sum + p.cpuMs, 0);
  }
  return out;
}

// A root pid and all its descendants.
function treeOf(root: number, procs: readonly ProcStat[], children: ReadonlyMap<number, ProcStat[]>): ProcStat[] {
  const found: ProcStat[] = [];
  const stack = procs.filter((p) => p.pid === root);
  while (stack.length) {
    const p = stack.pop() as ProcStat;
    found.push(p);
    stack.push(...(children.get(p.pid) ?? []));
  }
  return found;
}

function rssKiB(pid: number): number {
  try {
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/**
 * Resident memory in MiB of each root pid with its descendants (a service and the node process
 * tsx runs it in), read from /proc/<pid>/status.
 */
export function rssByGroup(groups: Record<string, { pid: number }>): Record<string, number> {
  const procs = allProcesses();
  const children = new Map<number, ProcStat[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  return Object.fromEntries(
    Object.entries(groups).map(([group, { pid }]) => [group, treeOf(pid, procs, children).reduce((sum, p) => sum + rssKiB(p.pid), 0) / 1024]),
  );
}
