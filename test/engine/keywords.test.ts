import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';
import { rackplay, recapOf, tempDir } from '../helpers/cli.js';
import { localInventory, writeFiles } from '../helpers/playbook.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => (dir = await tempDir()));
afterEach(async () => dir.cleanup());

async function play(playbook: string, extra: string[] = [], inventory?: string) {
  const files = await writeFiles(dir.path, { 'site.yml': playbook, ...(inventory ? { 'hosts.ini': inventory } : {}) });
  return rackplay('run', files['site.yml']!, '--output', 'plain', '-e', `dir=${dir.path}`, ...(inventory ? ['-i', files['hosts.ini']!] : []), ...extra);
}

const isRoot = process.getuid?.() === 0;
if (!isRoot) console.warn('SKIPPED become test: needs root (CI runs as root)');

describe('more task and play keywords', () => {
  it('a templated parameter is validated again after rendering, with the task position', async () => {
    const run = await play(`
- hosts: localhost
  tasks:
    - file: { path: "{{dir}}/x", state: touch, recurse: "{{flag}}" }
`, ['-e', 'flag=maybe']);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/after templating: .*site\.yml:4:\d+ E_WRONG_TYPE parameter 'recurse' of module file must be boolean/);
    expect(existsSync(join(dir.path, 'x'))).toBe(false);
  });

  it('environment and timeout', async () => {
    const run = await play(`
- hosts: localhost
  tasks:
    - shell: echo "$GREETING" > {{dir}}/env.txt
      environment: { GREETING: "hello there" }
    - command: sleep 5
      timeout: 1
      ignore_errors: true
      register: slow
    - assert: { that: ["regex_match slow.msg 'timed out'"] }
`);
    expect(run.code, run.stdout).toBe(0);
    await expect(readFile(join(dir.path, 'env.txt'), 'utf8')).resolves.toBe('hello there\n');
    expect(recapOf(run.stdout, 'localhost')).toMatchObject({ ignored: 1 });
  });

  it('check_mode per task: true never changes, false applies even under --check', async () => {
    const run = await play(`
- hosts: localhost
  tasks:
    - { file: { path: "{{dir}}/checked", state: touch }, check_mode: true }
    - { file: { path: "{{dir}}/applied", state: touch }, check_mode: false }
`, ['--check']);
    expect(run.code).toBe(0);
    expect(existsSync(join(dir.path, 'checked'))).toBe(false);
    expect(existsSync(join(dir.path, 'applied'))).toBe(true);
  });

  it('strategy free: each host runs through its tasks without waiting for the others', async () => {
    const run = await play(`
- hosts: all
  strategy: free
  tasks:
    - shell: "sleep {{ pause }}; echo {{inventory_hostname}} >> {{dir}}/order.log"
    - shell: "echo {{inventory_hostname}}-2 >> {{dir}}/order.log"
`, [], localInventory({ web: ['slow', 'fast'] }, { slow: { pause: 1 }, fast: { pause: 0 } }));
    expect(run.code, run.stdout).toBe(0);
    const order = (await readFile(join(dir.path, 'order.log'), 'utf8')).trim().split('\n');
    expect(order.indexOf('fast-2')).toBeLessThan(order.indexOf('slow'));
  });

  it('any_errors_fatal stops the play for every host', async () => {
    const run = await play(`
- hosts: all
  any_errors_fatal: true
  tasks:
    - fail: { msg: down }
      when: "eq inventory_hostname 'b'"
    - file: { path: "{{dir}}/{{inventory_hostname}}", state: touch }
`, [], localInventory({ web: ['a', 'b'] }));
    expect(run.code).toBe(2);
    expect(existsSync(join(dir.path, 'a'))).toBe(false);
  });

  it('max_fail_percentage stops the play once too many hosts failed', async () => {
    const run = await play(`
- hosts: all
  max_fail_percentage: 30
  tasks:
    - fail: { msg: down }
      when: "regex_match inventory_hostname '^[ab]$'"
    - file: { path: "{{dir}}/{{inventory_hostname}}", state: touch }
`, [], localInventory({ web: ['a', 'b', 'c', 'd'] }));
    expect(run.code, run.stderr).toBe(2);
    expect(existsSync(join(dir.path, 'c'))).toBe(false);
  });

  it.skipIf(!isRoot)('become_user runs the command as that user (sudo)', async () => {
    const run = await play(`
- hosts: localhost
  tasks:
    - command: id -un
      become: true
      become_user: nobody
      register: who
      changed_when: false
    - assert: { that: ["eq who.stdout 'nobody'"] }
`);
    expect(run.code, run.stdout).toBe(0);
  });

  it('Ctrl-C stops starting tasks, lets the running one finish, prints the recap and exits 99', async () => {
    const files = await writeFiles(dir.path, {
      'site.yml': `
- hosts: localhost
  tasks:
    - shell: "touch {{dir}}/started; sleep 1"
    - file: { path: "{{dir}}/never", state: touch }
`,
    });
    const child = spawn(process.execPath, [join(packageRoot, 'bin', 'rackplay.js'), 'run', files['site.yml']!, '-e', `dir=${dir.path}`, '--output', 'plain'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    while (!existsSync(join(dir.path, 'started'))) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(99);
    expect(output).toContain('PLAY RECAP');
    expect(recapOf(output, 'localhost')).toMatchObject({ changed: 1 });
    expect(existsSync(join(dir.path, 'never'))).toBe(false);
  });
});
