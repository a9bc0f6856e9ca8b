import { spawn, type ChildProcess } from 'node:child_process';

const CONSOLE_LIMIT = 256 * 1024;

export interface QemuProcess {
  readonly child: ChildProcess;
  /** The serial console (and qemu's own messages) so far, the last 256 KB. */
  consoleText(): string;
  running(): boolean;
  /** Rejects if qemu could not be spawned at all (ENOENT…). */
  readonly spawnError: Promise<never>;
  /** SIGKILLs qemu by its PID and resolves once it has exited. Idempotent. */
  kill(): Promise<void>;
}

/**
 * Starts qemu on the lab's kernel and initramfs, with the guest's port 22 forwarded to 127.0.0.1:port.
 * setpriv execs qemu in place (same PID) with a parent-death signal: should the test process be SIGKILLed,
 * which no exit handler sees, the kernel still kills qemu.
 */
export function spawnQemu(p: { vmlinuz: string; initrd: string; port: number }): QemuProcess {
  const child = spawn(
    'setpriv',
    [
      '--pdeathsig', 'KILL', '--',
      'qemu-system-x86_64',
      '-accel', 'tcg',
      '-m', '512',
      '-smp', '1',
      // 'max' gives the guest RDRAND, which seeds the kernel's RNG at once: otherwise dropbear waits
      // about 12 s of TCG time for 'crng init done' before it answers.
      '-cpu', 'max',
      '-nographic',
      '-no-reboot',
      '-kernel', p.vmlinuz,
      '-initrd', p.initrd,
      '-append', 'console=ttyS0 panic=-1 loglevel=4',
      '-netdev', `user,id=net0,hostfwd=tcp:127.0.0.1:${p.port}-:22`,
      // No iPXE option ROM: the NIC's network-boot prompt would cost seconds of TCG time for nothing.
      '-device', 'e1000,netdev=net0,romfile=',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let text = '';
  const record = (chunk: Buffer): void => {
    text += chunk.toString('utf8');
    if (text.length > CONSOLE_LIMIT) text = text.slice(-CONSOLE_LIMIT);
  };
  child.stdout?.on('data', record);
  child.stderr?.on('data', record);
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  spawnError.catch(() => undefined);
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  return {
    child,
    consoleText: () => text,
    running,
    spawnError,
    async kill() {
      if (running() && child.pid !== undefined) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      if (child.pid !== undefined) await exited;
    },
  };
}

/** qemu's message when the forwarded port was taken between choosing it and binding it. */
export function lostPortRace(consoleText: string): boolean {
  return consoleText.includes('Could not set up host forwarding rule');
}
