import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Debian's ansible-core; called by path, because root's shell rc here puts a pyenv first. */
export const ANSIBLE_VAULT = '/usr/bin/ansible-vault';
export const ANSIBLE = '/usr/bin/ansible';
export const haveAnsible = existsSync(ANSIBLE_VAULT) && existsSync(ANSIBLE);
if (!haveAnsible) console.warn(`SKIPPED: Ansible interop tests need ${ANSIBLE_VAULT} (Debian package ansible-core)`);

/** Runs an Ansible CLI in `home` with a clean environment: no user config, no colours, no network. */
export async function ansible(command: string, args: readonly string[], home: string): Promise<{ stdout: string; stderr: string }> {
  return run(command, [...args], {
    cwd: home,
    env: { PATH: '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8', ANSIBLE_CONFIG: `${home}/no-such-ansible.cfg`, ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCAL_TEMP: `${home}/.ansible-tmp` },
  });
}
