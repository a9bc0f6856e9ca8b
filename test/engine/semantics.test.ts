import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rackplay, recapOf, tempDir } from '../helpers/cli.js';
import { localInventory, writeFiles } from '../helpers/playbook.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => (dir = await tempDir()));
afterEach(async () => dir.cleanup());

async function runPlaybook(playbook: string, extra: string[] = [], inventory?: string) {
  const files = await writeFiles(dir.path, { 'site.yml': playbook, ...(inventory ? { 'hosts.ini': inventory } : {}) });
  const args = ['run', files['site.yml']!, '--output', 'plain', '-e', `dir=${dir.path}`, ...extra];
  if (inventory) args.push('-i', files['hosts.ini']!);
  return rackplay(...args);
}

describe('task keywords', () => {
  it('when, loop, register and changed_when', async () => {
    const run = await runPlaybook(`
- hosts: localhost
  vars: { wanted: [a, b, c] }
  tasks:
    - name: make files
      file: { path: "{{dir}}/f-{{item}}", state: touch }
      loop: "{{wanted}}"
      when: "ne item 'b'"
    - command: ls {{dir}}
      register: listing
      changed_when: false
    - assert:
        that:
          - "eq (length listing.stdout_lines) 3"
          - "includes listing.stdout_lines 'f-a'"
          - "includes listing.stdout_lines 'f-c'"
          - "not (includes listing.stdout_lines 'f-b')"
`);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    // ok counts the implicit Gathering Facts step, as in Ansible.
    expect(recapOf(run.stdout, 'localhost')).toMatchObject({ ok: 4, changed: 1, failed: 0 });
  });

  it('failed_when, ignore_errors and the recap', async () => {
    const run = await runPlaybook(`
- hosts: localhost
  tasks:
    - shell: "echo oops; exit 3"
      register: out
      failed_when: "eq out.rc 0"
      changed_when: false
    - fail: { msg: boom }
      ignore_errors: true
    - debug: { msg: "still here" }
`);
    expect(run.code, run.stdout).toBe(0);
    expect(recapOf(run.stdout, 'localhost')).toMatchObject({ ok: 3, failed: 0, ignored: 1 });
    expect(run.stdout).toContain('...ignoring');
  });

  it('block, rescue and always', async () => {
    const run = await runPlaybook(`
- hosts: localhost
  tasks:
    - block:
        - fail: { msg: broken }
        - debug: { msg: never }
      rescue:
        - file: { path: "{{dir}}/rescued", state: touch }
      always:
        - file: { path: "{{dir}}/always", state: touch }
    - debug: { msg: after }
`);
    expect(run.code, run.stdout).toBe(0);
    expect(recapOf(run.stdout, 'localhost')).toMatchObject({ failed: 0, rescued: 1 });
    expect(run.stdout).not.toContain('never');
    await expect(readFile(join(dir.path, 'rescued'), 'utf8')).resolves.toBe('');
    await expect(readFile(join(dir.path, 'always'), 'utf8')).resolves.toBe('');
  });

  it('handlers run once, at the end, in handler order, only when notified by a change', async () => {
    const run = await runPlaybook(`
- hosts: localhost
  tasks:
    - copy: { content: "1", dest: "{{dir}}/a" }
      notify: [second, first]
    - copy: { content: "2", dest: "{{dir}}/b" }
      notify: second
    - debug: { msg: "no change" }
      notify: never notified
  handlers:
    - name: first
      shell: echo first >> {{dir}}/handlers.log
    - name: second
      shell: echo second >> {{dir}}/handlers.log
    - name: never notified
      shell: echo never >> {{dir}}/handlers.log
`);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    await expect(readFile(join(dir.path, 'handlers.log'), 'utf8')).resolves.toBe('first\nsecond\n');
  });

  it('tags: --tags picks, always always runs, never runs only when asked', async () => {
    const playbook = `
- hosts: localhost
  tasks:
    - { file: { path: "{{dir}}/web", state: touch }, tags: [web] }
    - { file: { path: "{{dir}}/db", state: touch }, tags: db }
    - { file: { path: "{{dir}}/always", state: touch }, tags: always }
    - { file: { path: "{{dir}}/never", state: touch }, tags: [never, debug] }
`;
    const run = await runPlaybook(playbook, ['--tags', 'web']);
    expect(run.code).toBe(0);
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(dir.path)).filter((name) => !name.endsWith('.yml')).sort()).toEqual(['always', 'web']);
    const listed = await runPlaybook(playbook, ['--list-tasks', '--tags', 'debug', '--skip-tags', 'always']);
    expect(listed.stdout).toMatch(/never|file/);
    expect(listed.stdout.match(/TAGS/g)).toHaveLength(1);
  });

  it('no_log hides params, results and loop items in plain and json output, on failure too', async () => {
    const playbook = `
- hosts: localhost
  tasks:
    - shell: "echo s3cr3t-{{item}}; exit 1"
      loop: [alpha]
      no_log: true
`;
    for (const output of ['plain', 'json']) {
      const run = await runPlaybook(playbook, ['--output', output, '-v']);
      expect(run.code).toBe(2);
      expect(run.stdout).not.toContain('s3cr3t');
      expect(run.stdout).not.toContain('alpha');
      expect(run.stdout).toContain('censored');
    }
  });
});

describe('hosts', () => {
  it('a failing host stops; the others carry on; exit 2 and an accurate recap', async () => {
    const run = await runPlaybook(
      `
- hosts: web
  tasks:
    - fail: { msg: "b is broken" }
      when: "eq inventory_hostname 'b'"
    - file: { path: "{{dir}}/{{inventory_hostname}}", state: touch }
`,
      [],
      localInventory({ web: ['a', 'b', 'c'] }),
    );
    expect(run.code).toBe(2);
    // ok counts the implicit Gathering Facts step, as in Ansible.
    expect(recapOf(run.stdout, 'a')).toMatchObject({ ok: 2, changed: 1, failed: 0, skipped: 1 });
    expect(recapOf(run.stdout, 'b')).toMatchObject({ ok: 1, failed: 1 });
    expect(recapOf(run.stdout, 'c')).toMatchObject({ ok: 2, changed: 1, failed: 0 });
  });

  it('serial batches and run_once', async () => {
    const run = await runPlaybook(
      `
- hosts: all
  serial: [1, "50%"]
  tasks:
    - shell: echo {{inventory_hostname}} >> {{dir}}/order.log
    - shell: echo once >> {{dir}}/once.log
      run_once: true
`,
      [],
      localInventory({ all_hosts: ['h1', 'h2', 'h3', 'h4'] }),
    );
    expect(run.code, run.stdout).toBe(0);
    await expect(readFile(join(dir.path, 'once.log'), 'utf8')).resolves.toBe('once\nonce\nonce\n');
    expect((await readFile(join(dir.path, 'order.log'), 'utf8')).split('\n').filter(Boolean)).toHaveLength(4);
  });
});

describe('variables', () => {
  // As ansible-playbook 2.14 resolves them on this machine: set_fact outranks task vars.
  it('precedence: group < child group < host < play < vars_files < task vars < set_fact < extra vars', async () => {
    const files = await writeFiles(dir.path, {
      'hosts.yml': `
all:
  vars: { v_all: all, v_group: all, v_child: all, v_host: all, v_play: all, v_files: all, v_fact: all, v_task: all, v_extra: all }
  children:
    parent:
      vars: { v_group: parent, v_child: parent }
      children:
        child:
          vars: { v_child: child }
          hosts:
            h1: { ansible_connection: local, v_host: host, v_play: host }
`,
      'vars.yml': 'v_files: files\nv_fact: files\n',
      'site.yml': `
- hosts: h1
  vars: { v_play: play, v_files: play }
  vars_files: [vars.yml]
  tasks:
    - set_fact: { v_fact: fact, v_task: fact }
    - copy:
        dest: "{{dir}}/vars.txt"
        content: "{{v_all}} {{v_group}} {{v_child}} {{v_host}} {{v_play}} {{v_files}} {{v_fact}} {{v_task}} {{v_extra}}"
      vars: { v_task: task, v_extra: task }
`,
    });
    const run = await rackplay('run', files['site.yml']!, '-i', files['hosts.yml']!, '-e', `dir=${dir.path}`, '-e', 'v_extra=extra', '--output', 'plain');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    await expect(readFile(join(dir.path, 'vars.txt'), 'utf8')).resolves.toBe('all parent child host play files fact fact extra');
  });

  // ansible-playbook 2.14 printed "x=from-set-fact y=from-include" and "z=from-set-fact" for this play.
  it('a later include_vars does not override an earlier set_fact; task vars do not either', async () => {
    const files = await writeFiles(dir.path, {
      'inc.yml': 'x: from-include\ny: from-include\n',
      'site.yml': `
- hosts: localhost
  gather_facts: false
  tasks:
    - set_fact: { x: from-set-fact, z: from-set-fact }
    - include_vars: inc.yml
    - copy: { dest: "{{dir}}/a.txt", content: "x={{x}} y={{y}}" }
    - copy: { dest: "{{dir}}/b.txt", content: "z={{z}}" }
      vars: { z: from-task-vars }
`,
    });
    const run = await rackplay('run', files['site.yml']!, '-e', `dir=${dir.path}`, '--output', 'plain');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    await expect(readFile(join(dir.path, 'a.txt'), 'utf8')).resolves.toBe('x=from-set-fact y=from-include');
    await expect(readFile(join(dir.path, 'b.txt'), 'utf8')).resolves.toBe('z=from-set-fact');
  });

  it('a lone {{expr}} keeps its native type, and rendered values are never rendered again', async () => {
    const run = await runPlaybook(`
- hosts: localhost
  vars: { port: 8080, literal: '\\{{x}}' }
  tasks:
    - set_fact: { as_number: "{{port}}", flag: "{{eq port 8080}}", doubled: "{{literal}}" }
    - shell: printf '%s' '{{doubled}}'
      register: out
      changed_when: false
    - assert:
        that:
          - "eq as_number 8080"
          - "eq flag true"
          - "eq out.stdout doubled"
          - "includes out.stdout '{'"
`);
    expect(run.code, run.stdout + run.stderr).toBe(0);
  });
});
