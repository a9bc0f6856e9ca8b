import { execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { ipQuietSync } from './netns-exec.js';
import { killTree } from './processes.js';

/**
 * Everything a netns lab has created, recorded the moment it exists, so that teardown (stop(), a failed
 * start, or the process 'exit' safety net) removes exactly that and nothing else, in a safe order:
 * processes first (a namespace with live processes outlives `ip netns del`), then the root-side veth ends
 * (which delete their peers at once, instead of when the kernel gets round to destroying the namespace),
 * then the namespaces, the bridge and the temp dir.
 */
export class LabResources {
  bridge: string | undefined;
  tempDir: string | undefined;
  readonly namespaces: string[] = [];
  readonly veths: string[] = [];
  readonly children: ChildProcess[] = [];
  private released = false;

  /** Synchronous: also usable from process.on('exit'). Idempotent. Returns the PIDs it killed. */
  releaseSync(): number[] {
    if (this.released) return [];
    this.released = true;
    const killed = this.killProcesses();
    for (const veth of this.veths) ipQuietSync('link', 'del', veth);
    for (const namespace of this.namespaces) ipQuietSync('netns', 'del', namespace);
    if (this.bridge !== undefined) ipQuietSync('link', 'del', this.bridge);
    if (this.tempDir !== undefined) rmSync(this.tempDir, { recursive: true, force: true });
    return killed;
  }

  /** releaseSync, then waits (bounded) until every killed process is really gone. */
  async release(): Promise<void> {
    const killed = this.releaseSync();
    const deadline = Date.now() + 5_000;
    while (killed.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }

  /**
   * SIGKILLs each sshd with its sessions (by PID, following parent links), then anything still inside the
   * lab's namespaces (`ip netns pids`): a daemon a test started over SSH may have detached from sshd, but it
   * cannot have left the namespace, and only the lab's own processes can be in it.
   */
  private killProcesses(): number[] {
    const pids = new Set<number>();
    for (const child of this.children) {
      if (child.pid === undefined) continue;
      pids.add(child.pid);
      killTree(child.pid);
    }
    for (const namespace of this.namespaces) {
      for (const pid of namespacePids(namespace)) {
        pids.add(pid);
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // exited meanwhile
        }
      }
    }
    return [...pids];
  }
}

function namespacePids(namespace: string): number[] {
  try {
    return execFileSync('ip', ['netns', 'pids', namespace], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')
      .filter((line) => /^\d+$/.test(line.trim()))
      .map(Number);
  } catch {
    return [];
  }
}

/** Alive and not a zombie (a zombie whose parent is slow to reap it holds nothing of the lab's any more). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
