import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort, waitForPort } from './free-port.js';

/** Whether the Debian serf package (and start-stop-daemon, for the module's daemon mode) is here. */
export function serfAvailable(): boolean {
  return spawnSync('serf', ['version']).status === 0 && spawnSync('sh', ['-c', 'command -v start-stop-daemon || test -x /sbin/start-stop-daemon']).status === 0;
}

/** One agent's addresses and files, all under the lab's temp dir. */
export interface SerfNode {
  readonly name: string;
  readonly bindPort: number;
  readonly rpcPort: number;
  readonly bind: string;
  readonly rpcAddr: string;
  readonly dir: string;
  readonly configFile: string;
  readonly pidFile: string;
  readonly logFile: string;
}

export interface SerfLab {
  readonly dir: string;
  /** A node with fresh free ports and its own folder (nothing started). */
  node(name: string): Promise<SerfNode>;
  /** Starts `serf agent` directly (not through the module), tracked for cleanup; returns its PID. */
  spawnAgent(node: SerfNode, args?: readonly string[]): Promise<number>;
  /** `serf members -format=json` asked of a node. */
  members(node: SerfNode, auth?: string): { name: string; addr: string; status: string; tags: Record<string, string> }[];
  /** SIGKILLs one PID, verified to be a serf process of this lab first. */
  kill(pid: number): void;
  /** Kills every agent of the lab by PID (spawned ones and the module's pidfiles), then removes the temp dir. */
  stop(): void;
}

export function startSerfLab(): SerfLab {
  const dir = mkdtempSync(join(tmpdir(), 'rackplay-serf-'));
  const gossipKey = randomBytes(32).toString('base64');
  const spawned: number[] = [];

  const isOurSerf = (pid: number): boolean => {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return argv[0]!.endsWith('serf') && argv.some((arg) => arg.includes(dir));
    } catch {
      return false;
    }
  };
  const kill = (pid: number): void => {
    if (!isOurSerf(pid)) return;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const pidFiles = (folder: string): string[] =>
    readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
      const path = join(folder, entry.name);
      return entry.isDirectory() ? pidFiles(path) : entry.name.endsWith('.pid') ? [path] : [];
    });

  return {
    dir,
    async node(name) {
      const bindPort = await freeLoopbackPort();
      const rpcPort = await freeLoopbackPort();
      const nodeDir = join(dir, name);
      return {
        name,
        bindPort,
        rpcPort,
        bind: `127.0.0.1:${bindPort}`,
        rpcAddr: `127.0.0.1:${rpcPort}`,
        dir: nodeDir,
        configFile: join(nodeDir, 'serf.json'),
        pidFile: join(nodeDir, 'serf.pid'),
        logFile: join(nodeDir, 'serf.log'),
      };
    },
    async spawnAgent(node, args = []) {
      // -config-dir is the lab's own folder name: isOurSerf recognizes the process by it.
      // The lab's own gossip key keeps its cluster apart: labs of test files running side by side get ports
      // the kernel just freed from another lab's agents, and unkeyed clusters would merge through them.
      const keyed = args.some((arg) => arg.startsWith('-encrypt') || arg.startsWith('-keyring-file')) ? [] : [`-encrypt=${gossipKey}`];
      const child = spawn('serf', ['agent', `-node=${node.name}`, `-bind=${node.bind}`, `-rpc-addr=${node.rpcAddr}`, `-snapshot=${join(dir, `${node.name}.snapshot`)}`, ...keyed, ...args], { stdio: 'ignore', detached: true });
      child.unref();
      if (child.pid === undefined) throw new Error('serf agent did not spawn');
      spawned.push(child.pid);
      await waitForPort('127.0.0.1', node.rpcPort, 10_000, () => child.exitCode === null);
      return child.pid;
    },
    members(node, auth) {
      const result = spawnSync('serf', ['members', `-rpc-addr=${node.rpcAddr}`, '-format=json'], { encoding: 'utf8', env: { ...process.env, ...(auth === undefined ? {} : { SERF_RPC_AUTH: auth }) } });
      if (result.status !== 0) throw new Error(`serf members failed: ${result.stderr}`);
      return (JSON.parse(result.stdout) as { members: ReturnType<SerfLab['members']> }).members;
    },
    kill,
    stop() {
      for (const pid of spawned) kill(pid);
      if (existsSync(dir)) {
        for (const file of pidFiles(dir)) {
          const pid = Number(readFileSync(file, 'utf8').trim());
          if (Number.isInteger(pid) && pid > 0) kill(pid);
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function eventually(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
