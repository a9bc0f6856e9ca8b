import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from '../free-port.js';
import { GUEST_READY_MARKER } from './guest-files.js';
import { makeGuestKeys } from './guest-keys.js';
import { labInitramfs } from './initramfs.js';
import { labKernel } from './kernel.js';
import { lostPortRace, spawnQemu, type QemuProcess } from './qemu.js';
import { VmShell } from './vm-shell.js';

export interface IpvsVmTimings {
  /** Kernel download/unpack plus initramfs build; about a second when cached (inputs are still hashed). */
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
  /** qemu's PID. */
  readonly pid: number;
  readonly timings: IpvsVmTimings;
  /** The lab's own SSH session to the guest, for setting up and reading back kernel state. */
  readonly shell: VmShell;
  /** YAML inventory with one host `name` (in `group`, when given) reaching the guest as root over the forwarded port. */
  inventoryFor(name: string, group?: string): string;
  /** The serial console so far (kernel log, rcS, dropbear's log lines): for failure messages. */
  consoleLog(): string;
  /** Kills qemu by PID, waits for it to exit, removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

export interface IpvsVmOptions {
  /** Total time allowed from spawning qemu until SSH answers; TCG under load is slow. Default 180 s. */
  readonly bootTimeoutMs?: number;
}

const TEMP_PREFIX = 'rackplay-ipvsvm-';

/**
 * A test process killed with SIGKILL runs no cleanup: its qemu dies with it (setpriv), but its temp dir
 * (keys and an 8 MB initrd) stays. Each dir is named after its owner's PID; remove those whose owner is gone.
 */
function removeStaleTempDirs(): void {
  for (const entry of readdirSync(tmpdir())) {
    const owner = new RegExp(`^${TEMP_PREFIX}(\\d+)-`).exec(entry);
    if (owner === null || existsSync(`/proc/${owner[1]}`)) continue;
    rmSync(join(tmpdir(), entry), { recursive: true, force: true });
  }
}

/** Tries with a fresh port when another process took the chosen one before qemu could bind it. */
const PORT_ATTEMPTS = 3;

/**
 * Boots Debian's kernel under `qemu-system-x86_64 -accel tcg` with the lab's initramfs, forwards a loopback
 * port to the guest's dropbear, and resolves once a real SSH command succeeds. On any failure qemu is killed
 * by PID before this rejects, with the end of the serial console in the message.
 */
export async function startIpvsVm(options: IpvsVmOptions = {}): Promise<IpvsVm> {
  const buildStart = Date.now();
  const kernel = labKernel();
  const baseInitramfs = labInitramfs(kernel);
  const buildMs = Date.now() - buildStart;

  removeStaleTempDirs();
  const tempDir = mkdtempSync(join(tmpdir(), `${TEMP_PREFIX}${process.pid}-`));
  let qemu: QemuProcess | undefined;
  // Exit handlers run synchronously: SIGKILL by PID is all they can do (setpriv covers SIGKILL of us).
  const killNow = (): void => {
    if (qemu?.running() === true && qemu.child.pid !== undefined) {
      try {
        process.kill(qemu.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  const onExit = (): void => {
    killNow();
    rmSync(tempDir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    onExit();
    process.removeListener(signal, onSignal);
    process.kill(process.pid, signal);
  };
  process.once('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const teardown = async (): Promise<void> => {
    await qemu?.kill();
    process.removeListener('exit', onExit);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    rmSync(tempDir, { recursive: true, force: true });
  };

  try {
    const keys = makeGuestKeys(tempDir);
    const initrd = join(tempDir, 'initrd.cpio');
    copyFileSync(baseInitramfs, initrd);
    appendFileSync(initrd, keys.archive);

    const bootStart = Date.now();
    const deadline = bootStart + (options.bootTimeoutMs ?? 180_000);
    for (let attempt = 1; ; attempt++) {
      const port = await freeLoopbackPort();
      const started = spawnQemu({ vmlinuz: kernel.vmlinuz, initrd, port });
      qemu = started;
      let shell: VmShell;
      try {
        shell = await Promise.race([
          waitForSsh({ port, privateKeyPath: keys.privateKeyPath, hostKeyBlob: keys.hostKeyBlob }, deadline, started),
          started.spawnError,
        ]);
      } catch (error) {
        await started.kill();
        if (attempt < PORT_ATTEMPTS && lostPortRace(started.consoleText())) continue;
        throw error;
      }
      const knownHostsFile = join(tempDir, 'known_hosts');
      writeFileSync(knownHostsFile, `[127.0.0.1]:${port} ssh-ed25519 ${keys.hostKeyBlob}\n`);
      let stopped = false;
      return {
        host: '127.0.0.1',
        port,
        user: 'root',
        privateKeyPath: keys.privateKeyPath,
        knownHostsFile,
        pid: started.child.pid!,
        timings: { buildMs, bootMs: Date.now() - bootStart },
        shell,
        inventoryFor: (name, group) => inventoryYaml(name, group, { port, privateKeyPath: keys.privateKeyPath, knownHostsFile }),
        consoleLog: () => started.consoleText(),
        async stop() {
          if (stopped) return;
          stopped = true;
          shell.close();
          await teardown();
        },
      };
    }
  } catch (error) {
    const tail = (qemu?.consoleText() ?? '').split('\n').slice(-40).join('\n');
    await teardown();
    throw new Error(`the ipvs VM did not come up: ${(error as Error).message}\n--- serial console (last lines) ---\n${tail}`, { cause: error });
  }
}

/**
 * Waits for the guest's rcS to print its marker on the serial console, then retries a real SSH login plus
 * `true` until it works. Slirp accepts the forwarded port before the guest even has an address, and an SSH
 * attempt made then hangs until its own timeout: the marker keeps the attempts for when they can succeed.
 */
async function waitForSsh(target: { port: number; privateKeyPath: string; hostKeyBlob: string }, deadline: number, qemu: QemuProcess): Promise<VmShell> {
  const timeoutMs = (): number => deadline - Date.now();
  let lastError = 'the guest has not printed its ready marker yet';
  for (;;) {
    if (!qemu.running()) throw new Error(`qemu exited during boot (last SSH error: ${lastError})`);
    if (timeoutMs() <= 0) throw new Error(`SSH did not answer within the boot timeout (last error: ${lastError})`);
    if (!qemu.consoleText().includes(GUEST_READY_MARKER)) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    try {
      const shell = await VmShell.connect(target, Math.min(20_000, Math.max(1_000, timeoutMs())));
      const probe = await shell.run('true');
      if (probe.code === 0) return shell;
      shell.close();
      lastError = `'true' exited ${probe.code}`;
    } catch (error) {
      lastError = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
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
