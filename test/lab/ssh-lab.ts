import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort, waitForPort } from './free-port.js';
import { generateKey, type KeyType } from './keys.js';
import { killTree } from './processes.js';
import { currentUser, ensureTestUser, isRoot, lockPassword, setPassword } from './test-user.js';

export interface SshLabOptions {
  /** Log in as root instead of the dedicated /bin/sh test user (covers become-less root logins). Root only. */
  readonly loginAsRoot?: boolean;
  /** Enable password auth and give the test user a random password (restored to '*' by stop()). Root only. */
  readonly passwordAuth?: boolean;
  /** sshd's MaxSessions; 10 is OpenSSH's default and what rackplay's channel pool stays below. */
  readonly maxSessions?: number;
  /** Extra sshd_config lines, appended verbatim. */
  readonly extraConfig?: readonly string[];
}

export interface SshLab {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly user: string;
  /** ed25519 user key without passphrase, authorized for `user`. */
  readonly privateKeyPath: string;
  /** Holds `[127.0.0.1]:port ssh-ed25519 …` for this sshd's host key. */
  readonly knownHostsFile: string;
  /** The host key's public line: `ssh-ed25519 AAAA… comment`. */
  readonly hostKeyPublic: string;
  readonly tempDir: string;
  /** Set when `passwordAuth` was asked for. */
  readonly password?: string;
  /** PID of the sshd listener. */
  readonly pid: number;
  /** Authorizes one more user key of the given type; returns its private key path. */
  addUserKey(type: KeyType, passphrase?: string): string;
  /** YAML inventory text with n aliases (lab-1 … lab-n), all pointing at this sshd. */
  inventoryFor(n: number): string;
  /** SIGKILLs sshd and every session it forked, leaving the temp dir: simulates a host that died. */
  crash(): void;
  /** Kills sshd and its sessions by PID, removes the temp dir, relocks the test user's password. Idempotent. */
  stop(): Promise<void>;
}

/** Starts a private OpenSSH sshd on 127.0.0.1:<free port> with keys generated in a fresh temp dir. */
export async function startSshLab(options: SshLabOptions = {}): Promise<SshLab> {
  if ((options.loginAsRoot === true || options.passwordAuth === true) && !isRoot()) {
    throw new Error('startSshLab: loginAsRoot and passwordAuth need root (skip the test when not root)');
  }
  const tempDir = mkdtempSync(join(tmpdir(), 'rackplay-sshlab-'));
  let child: ChildProcess | undefined;
  let password: string | undefined;
  let user = '';
  const cleanup = (): void => {
    if (child?.pid !== undefined && child.exitCode === null) killTree(child.pid);
    rmSync(tempDir, { recursive: true, force: true });
  };
  try {
    // sshd reads authorized_keys as the target user, so the dir must be traversable by it.
    chmodSync(tempDir, 0o755);
    user = options.loginAsRoot === true ? 'root' : isRoot() ? ensureTestUser() : currentUser();
    const hostKeyPath = join(tempDir, 'ssh_host_ed25519_key');
    const hostKeyPublic = generateKey(hostKeyPath, 'ed25519', '', 'rackplay-lab-host');
    const privateKeyPath = join(tempDir, 'id_ed25519');
    const authorizedKeys = join(tempDir, 'authorized_keys');
    writeFileSync(authorizedKeys, `${generateKey(privateKeyPath)}\n`, { mode: 0o644 });
    if (options.passwordAuth === true) {
      password = `rp-${randomBytes(9).toString('base64url')}`;
      setPassword(user, password);
    }
    const port = await freeLoopbackPort();
    const configPath = join(tempDir, 'sshd_config');
    writeFileSync(configPath, sshdConfig({ tempDir, port, hostKeyPath, authorizedKeys, options }));
    const knownHostsFile = join(tempDir, 'known_hosts');
    const [keyType, keyBlob] = hostKeyPublic.split(' ');
    writeFileSync(knownHostsFile, `[127.0.0.1]:${port} ${keyType} ${keyBlob}\n`);
    // The privilege-separation dir is normally made by systemd's unit; sshd refuses to start without it.
    if (isRoot()) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

    const started = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = started;
    let stderr = '';
    started.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const safetyNet = (): void => {
      if (started.pid !== undefined && started.exitCode === null) killTree(started.pid);
    };
    process.once('exit', safetyNet);
    try {
      await waitForPort('127.0.0.1', port, 10_000, () => started.exitCode === null);
    } catch (error) {
      throw new Error(`sshd did not start: ${(error as Error).message}\n${stderr}`);
    }
    const pid = started.pid!;
    let stopped = false;
    return {
      host: '127.0.0.1',
      port,
      user,
      privateKeyPath,
      knownHostsFile,
      hostKeyPublic,
      tempDir,
      password,
      pid,
      addUserKey(type, passphrase = '') {
        const path = join(tempDir, `id_${type}_${randomBytes(3).toString('hex')}`);
        appendFileSync(authorizedKeys, `${generateKey(path, type, passphrase)}\n`);
        return path;
      },
      inventoryFor(n) {
        return inventoryYaml(n, { port, user, privateKeyPath, knownHostsFile });
      },
      crash() {
        killTree(pid);
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        process.removeListener('exit', safetyNet);
        const exited = started.exitCode !== null || started.signalCode !== null ? Promise.resolve() : new Promise((r) => started.once('exit', r));
        killTree(pid);
        await exited;
        if (password !== undefined) lockPassword(user);
        rmSync(tempDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    cleanup();
    if (password !== undefined) lockPassword(user);
    throw error;
  }
}

/** The lab's sshd_config text; exported for the netns lab, which listens on a namespace address instead. */
export function sshdConfig(p: {
  tempDir: string;
  port: number;
  /** Default 127.0.0.1. */
  listenAddress?: string;
  hostKeyPath: string;
  authorizedKeys: string;
  options: SshLabOptions;
}): string {
  const lines = [
    // sshd keeps the first value it reads for a keyword, so the caller's lines go first to override.
    ...(p.options.extraConfig ?? []),
    `Port ${p.port}`,
    `ListenAddress ${p.listenAddress ?? '127.0.0.1'}`,
    `HostKey ${p.hostKeyPath}`,
    `PidFile ${join(p.tempDir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${p.authorizedKeys}`,
    // The temp dir sits under world-writable /tmp, which StrictModes rejects.
    'StrictModes no',
    'UsePAM no',
    'PubkeyAuthentication yes',
    `PasswordAuthentication ${p.options.passwordAuth === true ? 'yes' : 'no'}`,
    'KbdInteractiveAuthentication no',
    `PermitRootLogin ${p.options.loginAsRoot === true ? 'prohibit-password' : 'no'}`,
    `MaxSessions ${p.options.maxSessions ?? 10}`,
    // The scale lab opens hundreds of connections at once; OpenSSH's default 10:30:100 would drop them.
    'MaxStartups 100:30:200',
    'LogLevel ERROR',
    'PrintMotd no',
    'PrintLastLog no',
    'UseDNS no',
    'Subsystem sftp internal-sftp',
  ];
  return `${lines.join('\n')}\n`;
}

function inventoryYaml(
  n: number,
  p: { port: number; user: string; privateKeyPath: string; knownHostsFile: string },
): string {
  const hosts = Array.from({ length: n }, (_, i) => `    lab-${i + 1}:`);
  return [
    'all:',
    n > 0 ? '  hosts:' : '  hosts: {}',
    ...hosts,
    '  vars:',
    '    ansible_host: 127.0.0.1',
    `    ansible_port: ${p.port}`,
    `    ansible_user: ${JSON.stringify(p.user)}`,
    `    ansible_ssh_private_key_file: ${JSON.stringify(p.privateKeyPath)}`,
    `    rackplay_known_hosts_file: ${JSON.stringify(p.knownHostsFile)}`,
    '    rackplay_host_key_checking: strict',
    '',
  ].join('\n');
}

/** Reads the lab's known_hosts (tests of accept-new compare it). */
export function readKnownHosts(lab: SshLab): string {
  return readFileSync(lab.knownHostsFile, 'utf8');
}
