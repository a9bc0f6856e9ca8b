import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { EmulatorState } from './models.js';

/** The emulator executable: test code only, because SUM is proprietary and cannot be installed here. */
export const EMULATOR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fakes', 'sum');

export interface Emulator {
  readonly dir: string;
  readonly statePath: string;
  /** A bin folder holding `sum` → the emulator, for PATH or for sum_path. */
  readonly binDir: string;
  readonly sumPath: string;
  /**
   * A `sum` wrapper script that names the state file itself, for runs where the environment does not
   * carry over (in-band through sshd, possibly as another user): the folder and state are opened to all.
   */
  hostWrapper(): Promise<string>;
  read(): Promise<EmulatorState>;
  write(state: EmulatorState): Promise<void>;
  /** Runs the emulator directly, as a user would run sum. */
  sum(...args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }>;
  cleanup(): Promise<void>;
}

/**
 * A temp folder with the state file and a `sum` symlink. The module under test runs through the
 * local connection, which inherits process.env: SUM_EMULATOR_STATE is set there for the test's duration.
 */
export async function startEmulator(state: EmulatorState): Promise<Emulator> {
  const dir = await mkdtemp(join(tmpdir(), 'rackplay-sum-'));
  const binDir = join(dir, 'bin');
  await mkdir(binDir);
  const sumPath = join(binDir, 'sum');
  await symlink(EMULATOR, sumPath);
  const statePath = join(dir, 'state.json');
  const write = (next: EmulatorState) => writeFile(statePath, `${JSON.stringify(next, null, 2)}\n`);
  await write(state);
  process.env.SUM_EMULATOR_STATE = statePath;
  return {
    dir,
    statePath,
    binDir,
    sumPath,
    hostWrapper: async () => {
      const wrapper = join(binDir, 'sum-host');
      await writeFile(wrapper, `#!/bin/sh\nSUM_EMULATOR_STATE='${statePath}' exec '${process.execPath}' '${EMULATOR}' "$@"\n`, { mode: 0o755 });
      await chmod(dir, 0o755);
      await chmod(binDir, 0o755);
      await chmod(statePath, 0o666);
      return wrapper;
    },
    read: async () => JSON.parse(await readFile(statePath, 'utf8')) as EmulatorState,
    write,
    sum: async (...args) => {
      const result = await execa(sumPath, args, { reject: false, env: { SUM_EMULATOR_STATE: statePath } });
      return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1 };
    },
    cleanup: async () => {
      delete process.env.SUM_EMULATOR_STATE;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The BIOS settings alone, to compare states before and after while ignoring the command log. */
export function biosOf(state: EmulatorState): Pick<EmulatorState, 'bios' | 'menus'> {
  return { bios: state.bios, menus: state.menus };
}
