import { readdirSync, readFileSync } from 'node:fs';

/**
 * PIDs of every descendant of `pid`, read from /proc. sshd forks a child per connection and that child
 * calls setsid(), so killing the listener's process group would miss it: we follow parent links instead,
 * which still only reaches processes the lab itself started.
 */
export function descendantPids(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = parentPid(Number(entry));
    if (ppid === undefined) continue;
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const result: number[] = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift()!;
    result.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return result;
}

function parentPid(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: the fields after the last ')' are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return undefined; // exited while we were scanning
  }
}

/** SIGKILLs `pid` and all its descendants (collected first, so reparenting cannot hide any). */
export function killTree(pid: number): void {
  const all = [...descendantPids(pid), pid];
  for (const target of all) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
