import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitForPort } from './free-port.js';
import { generateKey } from './keys.js';
import { sshdConfig, type SshLabOptions } from './ssh-lab.js';

export interface NamespacedSshd {
  readonly child: ChildProcess;
  /** PID of the sshd listener (the spawn's PID: every wrapper below exec()s into sshd). */
  readonly pid: number;
  /** `ssh-ed25519 AAAA…` of this host's own host key. */
  readonly hostKeyPublic: string;
}

export interface NamespacedSshdSpec {
  readonly namespace: string;
  readonly hostname: string;
  readonly address: string;
  /** A per-host directory for host key, config and pid file. */
  readonly dir: string;
  readonly authorizedKeys: string;
  readonly options: SshLabOptions;
  /** Called with the child as soon as it is spawned, so teardown can reach it even if startup then fails. */
  readonly onSpawn: (child: ChildProcess) => void;
}

/**
 * Starts `/usr/sbin/sshd -D -e` inside the namespace, listening on the host's address port 22.
 * `unshare --uts` gives the host its own hostname (a network namespace alone shares the controller's, and
 * `hostname` would then say the same everywhere); `sh -c … exec` keeps one PID from `ip netns exec` to sshd.
 */
export async function startNamespacedSshd(spec: NamespacedSshdSpec): Promise<NamespacedSshd> {
  mkdirSync(spec.dir, { mode: 0o755 });
  const hostKeyPath = join(spec.dir, 'ssh_host_ed25519_key');
  const hostKeyPublic = generateKey(hostKeyPath, 'ed25519', '', `rackplay-netns-${spec.hostname}`);
  const configPath = join(spec.dir, 'sshd_config');
  writeFileSync(
    configPath,
    sshdConfig({
      tempDir: spec.dir,
      port: 22,
      listenAddress: spec.address,
      hostKeyPath,
      authorizedKeys: spec.authorizedKeys,
      options: spec.options,
    }),
  );
  // The privilege-separation dir is normally made by systemd's unit; sshd refuses to start without it.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const child = spawn(
    'ip',
    [
      'netns', 'exec', spec.namespace,
      'unshare', '--uts',
      'sh', '-c', 'hostname "$1" && exec /usr/sbin/sshd -D -e -f "$2"', 'sh', spec.hostname, configPath,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  spec.onSpawn(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  try {
    await waitForPort(spec.address, 22, 10_000, () => child.exitCode === null && child.signalCode === null);
  } catch (error) {
    throw new Error(`sshd in ${spec.namespace} did not start: ${(error as Error).message}\n${stderr}`);
  }
  return { child, pid: child.pid!, hostKeyPublic };
}
