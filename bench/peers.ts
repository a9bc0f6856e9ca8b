/**
 * The tools the benchmark compares, each found or reported absent with the reason and how to install it.
 * Every one is started as a whole process (bench/time-process.py), so start-up counts for all alike.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../src/paths.js';

export type PeerName = 'ansible-playbook' | 'ansible + mitogen' | 'pyinfra';

export interface Peer {
  readonly name: PeerName;
  /** Why it is missing, and how to get it; undefined when present. */
  readonly absent?: string;
  readonly version?: string;
  readonly env: Record<string, string>;
}

const ANSIBLE_ENV = {
  ANSIBLE_HOST_KEY_CHECKING: 'False',
  ANSIBLE_PIPELINING: 'True',
  ANSIBLE_FORKS: '10',
  ANSIBLE_NOCOLOR: '1',
  ANSIBLE_RETRY_FILES_ENABLED: 'False',
  ANSIBLE_LOCALHOST_WARNING: 'False',
  ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
};

const MITOGEN_STRATEGIES = '/usr/lib/python3/dist-packages/ansible_mitogen/plugins/strategy';

/** Where bench/setup-pyinfra.sh installs pyinfra (no registry these machines reach has it). */
export const PYINFRA_HOME = join(packageRoot, '.cache', 'pyinfra');

function versionLine(command: string, args: string[], env: Record<string, string> = {}): string | undefined {
  const result = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  return result.status === 0 ? (result.stdout || result.stderr).split('\n')[0]!.trim() : undefined;
}

export function findPeers(): Peer[] {
  const ansible = versionLine('ansible-playbook', ['--version']);
  const peers: Peer[] = [
    ansible === undefined
      ? { name: 'ansible-playbook', absent: 'not installed (apt-get install ansible-core)', env: ANSIBLE_ENV }
      : { name: 'ansible-playbook', version: `${ansible}, pipelining`, env: ANSIBLE_ENV },
  ];
  const mitogenEnv = { ...ANSIBLE_ENV, ANSIBLE_STRATEGY_PLUGINS: MITOGEN_STRATEGIES, ANSIBLE_STRATEGY: 'mitogen_linear' };
  peers.push(
    ansible !== undefined && existsSync(join(MITOGEN_STRATEGIES, 'mitogen_linear.py'))
      ? { name: 'ansible + mitogen', version: `${ansible}, mitogen_linear`, env: mitogenEnv }
      : { name: 'ansible + mitogen', absent: 'not installed (apt-get install ansible-core ansible-mitogen)', env: mitogenEnv },
  );
  const pyinfraEnv = { PYTHONPATH: join(PYINFRA_HOME, 'shim') };
  const pyinfra = existsSync(join(PYINFRA_HOME, 'venv', 'bin', 'pyinfra')) ? versionLine(join(PYINFRA_HOME, 'venv', 'bin', 'pyinfra'), ['--version'], pyinfraEnv) : undefined;
  peers.push(
    pyinfra === undefined
      ? { name: 'pyinfra', absent: `not installed in ${PYINFRA_HOME} (bench/setup-pyinfra.sh SOURCE_DIR, from pyinfra's public repository)`, env: pyinfraEnv }
      : { name: 'pyinfra', version: pyinfra, env: pyinfraEnv },
  );
  return peers;
}

export const pyinfraBin = (): string => join(PYINFRA_HOME, 'venv', 'bin', 'pyinfra');
