import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rackplay, recapOf, tempDir } from '../helpers/cli.js';
import { writeFiles } from '../helpers/playbook.js';
import { startSshLab } from '../lab/ssh-lab.js';
import type { SshLab } from '../lab/ssh-lab.js';

describe('a role over SSH against the loopback sshd lab', () => {
  let lab: SshLab;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let files: Record<string, string>;
  const root = `/tmp/rackplay-ssh-roles-${process.pid}`;

  beforeAll(async () => {
    lab = await startSshLab();
    dir = await tempDir('rackplay-ssh-roles-');
    files = await writeFiles(dir.path, {
      'hosts.yml': lab.inventoryFor(2),
      'roles/app/defaults/main.yml': 'app_port: 8080\napp_dir: "{{root}}/{{inventory_hostname}}"\n',
      'roles/app/vars/main.yml': 'app_user_file: users.list\n',
      'roles/app/meta/main.yml': 'dependencies:\n  - { role: layout, vars: { layout_dir: "{{app_dir}}" } }\n',
      'roles/layout/tasks/main.yml': '- file: { path: "{{layout_dir}}/etc", state: directory, mode: "0755" }\n',
      'roles/app/templates/app.conf.hbs': 'host={{inventory_hostname}}\nport={{app_port}}\n',
      'roles/app/files/motd': 'managed by rackplay\n',
      'roles/app/tasks/main.yml': `- name: Render the config
  template: { src: app.conf.hbs, dest: "{{app_dir}}/etc/app.conf", mode: "0640" }
  notify: note change
- name: Install the motd
  copy: { src: motd, dest: "{{app_dir}}/etc/motd" }
- include_role: { name: app, tasks_from: user }
  loop: [alice, bob]
  loop_control: { loop_var: user }
`,
      'roles/app/tasks/user.yml': '- lineinfile: { path: "{{app_dir}}/etc/{{app_user_file}}", line: "{{user}}", create: true }\n',
      'roles/app/handlers/main.yml': '- name: note change\n  shell: echo changed >> {{app_dir}}/changes.log\n',
      'site.yml': `- hosts: all\n  roles:\n    - { role: app, vars: { app_port: 9090 } }\n`,
    });
  });
  afterAll(async () => {
    await lab?.stop();
    await dir?.cleanup();
    await rm(root, { recursive: true, force: true });
  });

  it('converges two hosts with the role (dependency, templates/, files/, include_role loop, handler), then changes nothing', async () => {
    const args = ['run', files['site.yml']!, '-i', files['hosts.yml']!, '-e', `root=${root}`, '--output', 'plain'];
    const first = await rackplay(...args);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toMatch(/TASK \[app : Render the config\]/);
    for (const host of ['lab-1', 'lab-2']) {
      expect(recapOf(first.stdout, host)).toMatchObject({ changed: 6, failed: 0, unreachable: 0 });
      const etc = join(root, host, 'etc');
      await expect(readFile(join(etc, 'app.conf'), 'utf8')).resolves.toBe(`host=${host}\nport=9090\n`);
      await expect(readFile(join(etc, 'motd'), 'utf8')).resolves.toBe('managed by rackplay\n');
      await expect(readFile(join(etc, 'users.list'), 'utf8')).resolves.toBe('alice\nbob\n');
      await expect(readFile(join(root, host, 'changes.log'), 'utf8')).resolves.toBe('changed\n');
    }
    const second = await rackplay(...args);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    for (const host of ['lab-1', 'lab-2']) expect(recapOf(second.stdout, host)).toMatchObject({ changed: 0, failed: 0 });
  });
});
