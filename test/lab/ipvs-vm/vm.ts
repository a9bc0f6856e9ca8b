import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from '../free-port.js';
import { generateKey } from '../keys.js';
import { GUEST_HOST_KEY } from './guest-files.js';
import { labInitramfs } from './initramfs.js';
import { labKernel } from './kernel.js';
import { VmShell } from './vm-shell.js';

export interface IpvsVmTimings {
  /** Kernel download/unpack plus initramfs build; near zero when cached. */
  readonly buildMs: number;
  /** From spawning qemu to the first successful SSH command. */
  readonly bootMs: number;
}

export interface IpvsVm {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly user: 'root';
  readonly privateKeyPath: string;
  /** Pins the guest's host key for `[127.0.0.1]:port`. */
  readonly knownHostsFile: string;
  readonly pid: number;
  readonly timings: IpvsVmTimings;
  /** The lab's own SSH session to the guest, for setting up and reading back kernel state. */
  readonly shell: VmShell;
  /** YAML inventory with one host `name` (in `group`, when given) reaching the guest as root over the forwarded port. */
  inventoryFor(name: string, group?: string): string;
  /** The serial console so far (kernel log, rcS, dropbear): for failure messages. */
  consoleLog(): string;
  /** Kills qemu by PID, waits for it to exit, removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

export interface IpvsVmOptions {
  /** Total time allowed for boot until SSH answers; TCG under load is slow. Default 180 s. */
  readonly bootTimeoutMs?: number;
}

const CONSOLE_LIMIT = 256 * 1024;

/**
 * Boots Debian's kernel under `qemu-system-x86_64 -accel tcg` with the lab's initramfs, forwards a loopback
 * port to the guest's dropbear, and resolves once a real SSH command succeeds. Keys are made per boot and
 * appended to the cached initramfs as a second cpio archive, which the kernel unpacks on top of the first.
 */
export async function startIpvsVm(options: IpvsVmOptions = {}): Promise<IpvsVm> {
  const buildStart = Date.now();
  const kernel = labKernel();
  const baseInitramfs = labInitramfs(kernel);
  const buildMs = Date.now() - buildStart;

  const tempDir = mkdtempSync(join(tmpdir(), 'rackplay-ipvsvm-'));
  let child: ChildProcess | undefined;
  let shell: VmShell | undefined;
  const kill = (): void => {
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  const onExit = (): void => kill();
  const onSignal = (signal: NodeJS.Signals): void => {
    kill();
    rmSync(tempDir, { recursive: true, force: true });
    process.removeListener(signal, onSignal);
    process.kill(process.pid, signal);
  };
  process.once('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const detach = (): void => {
    process.removeListener('exit', onExit);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };

  let consoleText = '';
  try {
    const privateKeyPath = join(tempDir, 'id_ed25519');
    const userKey = generateKey(privateKeyPath, 'ed25519', '', 'rackplay-ipvs-lab');
    const hostKeyPath = join(tempDir, 'dropbear_ed25519_host_key');
    execFileSync('dropbearkey', ['-t', 'ed25519', '-f', hostKeyPath], { stdio: 'pipe' });
    const hostKeyLine = execFileSync('dropbearkey', ['-y', '-f', hostKeyPath], { encoding: 'utf8' })
      .split('\n')
      .find((line) => line.startsWith('ssh-ed25519 '));
    if (hostKeyLine === undefined) throw new Error('dropbearkey -y printed no ssh-ed25519 line');
    const hostKeyBlob = hostKeyLine.split(' ')[1]!;

    const initrd = join(tempDir, 'initrd.cpio');
    copyFileSync(baseInitramfs, initrd);
    appendFileSync(initrd, perBootArchive(tempDir, userKey, hostKeyPath));

    const port = await freeLoopbackPort();
    const knownHostsFile = join(tempDir, 'known_hosts');
    writeFileSync(knownHostsFile, `[127.0.0.1]:${port} ssh-ed25519 ${hostKeyBlob}\n`);

    const bootStart = Date.now();
    // setpriv execs qemu in place (same PID) with a parent-death signal: should this test process be
    // SIGKILLed, which no exit handler sees, the kernel still kills qemu.
    const qemu = spawn(
      'setpriv',
      [
        '--pdeathsig', 'KILL', '--',
        'qemu-system-x86_64',
        '-accel', 'tcg',
        '-m', '512',
        '-smp', '1',
        '-nographic',
        '-no-reboot',
        '-kernel', kernel.vmlinuz,
        '-initrd', initrd,
        '-append', 'console=ttyS0 panic=-1 loglevel=4',
        '-netdev', `user,id=net0,hostfwd=tcp:127.0.0.1:${port}-:22`,
        '-device', 'e1000,netdev=net0',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = qemu;
    const record = (chunk: Buffer): void => {
      consoleText += chunk.toString('utf8');
      if (consoleText.length > CONSOLE_LIMIT) consoleText = consoleText.slice(-CONSOLE_LIMIT);
    };
    qemu.stdout?.on('data', record);
    qemu.stderr?.on('data', record);
    const spawnError = new Promise<never>((_, reject) => qemu.once('error', reject));
    spawnError.catch(() => undefined);

    shell = await Promise.race([
      waitForSsh({ port, privateKeyPath, hostKeyBlob }, options.bootTimeoutMs ?? 180_000, () => qemu.exitCode === null && qemu.signalCode === null),
      spawnError,
    ]);
    const bootMs = Date.now() - bootStart;
    const pid = qemu.pid!;
    const readyShell = shell;
    let stopped = false;
    return {
      host: '127.0.0.1',
      port,
      user: 'root',
      privateKeyPath,
      knownHostsFile,
      pid,
      timings: { buildMs, bootMs },
      shell: readyShell,
      inventoryFor: (name, group) => inventoryYaml(name, group, { port, privateKeyPath, knownHostsFile }),
      consoleLog: () => consoleText,
      async stop() {
        if (stopped) return;
        stopped = true;
        readyShell.close();
        const exited =
          qemu.exitCode !== null || qemu.signalCode !== null ? Promise.resolve() : new Promise((resolve) => qemu.once('exit', resolve));
        kill();
        await exited;
        detach();
        rmSync(tempDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    shell?.close();
    const exited = child !== undefined && child.exitCode === null && child.signalCode === null ? new Promise((r) => child!.once('exit', r)) : Promise.resolve();
    kill();
    await exited;
    detach();
    rmSync(tempDir, { recursive: true, force: true });
    const tail = consoleText.split('\n').slice(-40).join('\n');
    throw new Error(`the ipvs VM did not come up: ${(error as Error).message}\n--- serial console (last lines) ---\n${tail}`, { cause: error });
  }
}

/** A cpio holding this boot's authorized key and host key; dropbear wants both non-world-readable. */
function perBootArchive(tempDir: string, userKey: string, hostKeyPath: string): Buffer {
  const root = join(tempDir, 'overlay');
  mkdirSync(join(root, 'root', '.ssh'), { recursive: true, mode: 0o700 });
  mkdirSync(join(root, 'etc', 'dropbear'), { recursive: true });
  chmodSync(join(root, 'root'), 0o700);
  chmodSync(join(root, 'root', '.ssh'), 0o700);
  writeFileSync(join(root, 'root', '.ssh', 'authorized_keys'), `${userKey}\n`, { mode: 0o600 });
  copyFileSync(hostKeyPath, join(root, GUEST_HOST_KEY));
  chmodSync(join(root, GUEST_HOST_KEY), 0o600);
  return execFileSync('sh', ['-c', 'find . -print0 | LC_ALL=C sort -z | cpio --null --create --format=newc --owner=0:0 --quiet'], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** Retries a real SSH login plus `true` until it works: an open forwarded port alone proves nothing under slirp. */
async function waitForSsh(
  target: { port: number; privateKeyPath: string; hostKeyBlob: string },
  timeoutMs: number,
  alive: () => boolean,
): Promise<VmShell> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no attempt yet';
  for (;;) {
    if (!alive()) throw new Error(`qemu exited during boot (last SSH error: ${lastError})`);
    if (Date.now() > deadline) throw new Error(`SSH did not answer within ${timeoutMs} ms (last error: ${lastError})`);
    try {
      const shell = await VmShell.connect(target, Math.min(20_000, Math.max(1_000, deadline - Date.now())));
      const probe = await shell.run('true');
      if (probe.code === 0) return shell;
      shell.close();
      lastError = `'true' exited ${probe.code}`;
    } catch (error) {
      lastError = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function inventoryYaml(name: string, group: string | undefined, p: { port: number; privateKeyPath: string; knownHostsFile: string }): string {
  const vars = {
    ansible_host: '127.0.0.1',
    ansible_port: p.port,
    ansible_user: 'root',
    ansible_ssh_private_key_file: p.privateKeyPath,
    rackplay_known_hosts_file: p.knownHostsFile,
    rackplay_host_key_checking: 'strict',
  };
  const hostLines = [`${name}:`, ...Object.entries(vars).map(([key, value]) => `  ${key}: ${JSON.stringify(value)}`)];
  const indent = (lines: string[], depth: number): string[] => lines.map((line) => `${' '.repeat(depth)}${line}`);
  const body = group === undefined ? ['  hosts:', ...indent(hostLines, 4)] : ['  children:', `    ${group}:`, '      hosts:', ...indent(hostLines, 8)];
  return `${['all:', ...body].join('\n')}\n`;
}

