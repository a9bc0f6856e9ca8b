import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rackplay, recapOf, tempDir } from '../helpers/cli.js';
import { localInventory, writeFiles } from '../helpers/playbook.js';
import { runJson } from './run-json.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => (dir = await tempDir('rackplay-roles-')));
afterEach(async () => dir.cleanup());

const debug = (msg: string, name?: string) => `- ${name === undefined ? '' : `name: ${JSON.stringify(name)}\n  `}debug: { msg: ${JSON.stringify(msg)} }\n`;

describe('roles: layout, order, handlers, dependencies', () => {
  it('runs meta dependencies first, the role after pre_tasks and before tasks, with role-prefixed names, and its handlers', async () => {
    const files = await writeFiles(dir.path, {
      'roles/base/tasks/main.yml': debug('base'),
      'roles/common/meta/main.yml': 'dependencies:\n  - base\n',
      'roles/common/tasks/main.yml': debug('common'),
      'roles/web/meta/main.yml': 'dependencies:\n  - role: base\n  - { role: common }\n',
      'roles/web/defaults/main.yml': 'web_port: 8080\n',
      'roles/web/tasks/main.yml': `- name: Write the config\n  copy: { content: "port={{web_port}}\\n", dest: "{{out}}/web.conf" }\n  notify: restart web\n${debug('web', 'Say web')}`,
      'roles/web/handlers/main.yml': debug('handler: web restarted on {{web_port}}', 'restart web'),
      'site.yml': `- hosts: localhost\n  vars: { out: ${dir.path} }\n  pre_tasks:\n    ${debug('pre').trim()}\n  roles:\n    - web\n  tasks:\n    ${debug('task').trim()}\n  post_tasks:\n    ${debug('post').trim()}\n`,
    });
    const run = await runJson('run', files['site.yml']!);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.messages).toEqual(['localhost: pre', 'localhost: base', 'localhost: common', 'localhost: web', 'localhost: task', 'localhost: post', 'localhost: handler: web restarted on 8080']);
    const names = run.results.map((result) => result.task.name);
    expect(names).toContain('web : Say web');
    expect(names).toContain('web : Write the config');
    expect(names).toContain('base : debug');
    const listed = await rackplay('run', files['site.yml']!, '--list-tasks');
    expect(listed.stdout).toMatch(/ debug\n\s+base : debug\n\s+common : debug\n\s+web : Write the config\n\s+web : Say web\n\s+debug\n/);
    expect(run.results.find((result) => result.task.isHandler)?.task.name).toBe('web : restart web');
    await expect(readFile(join(dir.path, 'web.conf'), 'utf8')).resolves.toBe('port=8080\n');
    // Plain output shows Ansible's `role : task` banner too.
    const plain = await rackplay('run', files['site.yml']!, '--output', 'plain');
    expect(plain.stdout).toMatch(/TASK \[web : Say web\]/);
    expect(recapOf(plain.stdout, 'localhost')).toMatchObject({ changed: 0, failed: 0 });
  });

  it("a play task can notify a role's handler as `role : name`; roles: entries take when and tags", async () => {
    const files = await writeFiles(dir.path, {
      'roles/svc/tasks/main.yml': debug('svc ran'),
      'roles/svc/handlers/main.yml': debug('svc handler', 'reload'),
      'roles/skipped/tasks/main.yml': debug('skipped ran'),
      // The entry's when is checked by each of the role's tasks, so it can use the role's defaults.
      'roles/skipped/defaults/main.yml': 'skipped_enabled: false\n',
      'site.yml': `- hosts: localhost
  roles:
    - { role: svc, tags: [svc] }
    - { role: skipped, when: skipped_enabled }
  tasks:
    - command: "true"
      changed_when: true
      notify: "svc : reload"
      tags: [svc]
`,
    });
    const run = await runJson('run', files['site.yml']!);
    expect(run.code, run.stderr).toBe(0);
    expect(run.messages).toEqual(['localhost: svc ran', 'localhost: svc handler']);
    expect(run.results.filter((result) => result.task.name === 'skipped : debug').map((result) => result.status)).toEqual(['skipped']);
    const tagged = await runJson('run', files['site.yml']!, '--skip-tags', 'svc');
    expect(tagged.messages).toEqual([]);
  });

  it('a role used twice with the same parameters runs once; other parameters or allow_duplicates run it again; import_role always runs', async () => {
    const files = await writeFiles(dir.path, {
      'roles/dup/defaults/main.yml': 'x: 1\n',
      'roles/dup/tasks/main.yml': debug('dup x={{x}}'),
      'roles/again/meta/main.yml': 'allow_duplicates: true\n',
      'roles/again/tasks/main.yml': debug('again'),
      'roles/needs_dup/meta/main.yml': 'dependencies: [dup]\n',
      'roles/needs_dup/tasks/main.yml': debug('needs_dup'),
      'site.yml': `- hosts: localhost
  roles:
    - dup
    - dup
    - { role: dup, vars: { x: 2 } }
    - { role: dup, vars: { x: 2 } }
    - again
    - again
    - needs_dup
  tasks:
    - import_role: { name: dup }
- hosts: localhost
  roles: [dup]
`,
    });
    const run = await runJson('run', files['site.yml']!);
    expect(run.code, run.stderr).toBe(0);
    // needs_dup's dependency on dup was placed already; import_role runs again; the second play starts afresh.
    // x=2 of the third entry reaches every use of dup in the play: a roles: entry's vars are exported play-wide,
    // as ansible-playbook 2.14 shows for this very play (dup x=2, dup x=2, again, again, needs_dup, dup x=2, dup x=1).
    expect(run.messages).toEqual(['localhost: dup x=2', 'localhost: dup x=2', 'localhost: again', 'localhost: again', 'localhost: needs_dup', 'localhost: dup x=2', 'localhost: dup x=1']);
  });
});

describe('roles: import_role and include_role', () => {
  it('import_role inlines tasks (tasks_from, vars as role params); when applies to every imported task', async () => {
    const files = await writeFiles(dir.path, {
      'roles/greet/defaults/main.yml': 'who: world\n',
      'roles/greet/tasks/main.yml': debug('hello {{who}}'),
      'roles/greet/tasks/bye.yml': debug('bye {{who}}'),
      'roles/flip/tasks/main.yml': '- set_fact: { go: false }\n' + debug('after flip'),
      'site.yml': `- hosts: localhost
  tasks:
    - import_role: { name: greet }
    - import_role: { name: greet, tasks_from: bye }
      vars: { who: import }
    - set_fact: { go: true }
    - import_role: { name: flip }
      when: go
`,
    });
    const run = await runJson('run', files['site.yml']!);
    expect(run.code, run.stderr).toBe(0);
    // Imported: `when: go` is checked again by each task, and set_fact turned it false.
    expect(run.messages).toEqual(['localhost: hello world', 'localhost: bye import']);
  });

  it('include_role decides when and loop per host at the include, and its tasks see the item', async () => {
    const inventory = localInventory({ web: ['h1', 'h2'] }, { h1: { sites: ['x'] }, h2: { sites: ['y', 'z'] } });
    const files = await writeFiles(dir.path, {
      'hosts.ini': inventory,
      'roles/greet/defaults/main.yml': 'who: world\n',
      'roles/greet/tasks/main.yml': debug('hello {{who}}'),
      'roles/flip/tasks/main.yml': '- set_fact: { go: false }\n' + debug('after flip'),
      'site.yml': `- hosts: web
  tasks:
    - include_role: { name: greet }
      loop: "{{sites}}"
      vars: { who: "{{item}}" }
    - include_role: { name: greet }
      when: "eq inventory_hostname 'h2'"
    - name: Only the items above 1
      include_role: { name: greet }
      loop: [1, 2, 3]
      loop_control: { loop_var: n }
      when: "gt n 1"
      vars: { who: "n{{n}}" }
    - set_fact: { go: true }
    - include_role: { name: flip }
      when: go
`,
    });
    const run = await runJson('run', files['site.yml']!, '-i', files['hosts.ini']!, '-f', '1');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const of = (host: string) => run.messages.filter((message) => message.startsWith(`${host}:`)).map((message) => message.slice(host.length + 2));
    expect(of('h1')).toEqual(['hello x', 'hello n2', 'hello n3', 'after flip']);
    expect(of('h2')).toEqual(['hello y', 'hello z', 'hello world', 'hello n2', 'hello n3', 'after flip']);
    const includes = run.results.filter((result) => result.task.module === 'include_role');
    expect(includes.find((result) => result.host === 'h1' && result.task.name === 'include_role : greet' && result.status === 'skipped')).toBeDefined();
    expect(includes.find((result) => result.task.name === 'Only the items above 1')?.result.rounds).toBe(2);
  });
});

describe('roles: variables', () => {
  it('vars_from and defaults_from pick other files; include_vars in a role reads its vars/ folder', async () => {
    const files = await writeFiles(dir.path, {
      'roles/greet/defaults/main.yml': 'who: world\nhow: hello\n',
      'roles/greet/defaults/formal.yml': 'who: sir\nhow: good day\n',
      'roles/greet/vars/loud.yml': 'how: HELLO\n',
      'roles/greet/vars/extra.yml': 'punct: "!"\n',
      'roles/greet/tasks/main.yml': '- include_vars: { file: extra.yml }\n' + debug('{{how}} {{who}}{{punct}}'),
      'site.yml': `- hosts: localhost
  tasks:
    - import_role: { name: greet, defaults_from: formal }
    - include_role: { name: greet, vars_from: loud }
`,
    });
    const run = await runJson('run', files['site.yml']!);
    expect(run.code, run.stderr).toBe(0);
    expect(run.messages).toEqual(['localhost: good day sir!', 'localhost: HELLO world!']);
  });

  // Expected values: what ansible-playbook 2.14 printed for the same play and role here. A roles: entry's vars rank
  // below the role's vars/main.yml; role defaults and vars are exported to the play's later tasks.
  it('defaults < inventory < play vars < entry vars < role vars < set_fact < task vars < extra vars; role vars reach the play', async () => {
    const names = ['only_default', 'inv', 'play', 'role_vars', 'fact', 'task', 'param', 'extra'];
    const files = await writeFiles(dir.path, {
      'hosts.ini': localInventory({ all_hosts: ['h1'] }, { h1: { inv: 'inventory', play: 'inventory', role_vars: 'inventory' } }),
      'roles/prec/defaults/main.yml': names.map((name) => `${name}: default`).join('\n') + '\n',
      'roles/prec/vars/main.yml': 'role_vars: role vars\nfact: role vars\ntask: role vars\nparam: role vars\nextra: role vars\nderived: "from {{only_default}}"\n',
      'roles/prec/tasks/main.yml': `- set_fact: { fact: set_fact }
- debug: { msg: "${names.map((name) => `${name}={{${name}}}`).join(' ')} derived={{derived}}" }
  vars: { task: task }
`,
      'site.yml': `- hosts: all_hosts
  vars: { play: play, role_vars: play }
  roles:
    - role: prec
      vars: { param: param, extra: param }
  tasks:
    - debug: { msg: "after the role: play={{play}} fact={{fact}}" }
`,
    });
    const run = await runJson('run', files['site.yml']!, '-i', files['hosts.ini']!, '-e', 'extra=extra');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.messages).toEqual([
      'h1: only_default=default inv=inventory play=play role_vars=role vars fact=set_fact task=task param=role vars extra=extra derived=from default',
      'h1: after the role: play=play fact=set_fact',
    ]);
  });
});

describe('roles: files and templates', () => {
  it("template and copy look in the role's templates/ and files/ first; a second run changes nothing", async () => {
    const files = await writeFiles(dir.path, {
      'roles/web/defaults/main.yml': 'web_port: 8080\n',
      'roles/web/templates/web.conf.hbs': 'role template port={{web_port}}\n',
      'roles/web/files/motd': 'role file\n',
      'roles/web/tasks/main.yml': `- template: { src: web.conf.hbs, dest: "{{out}}/web.conf" }
- copy: { src: motd, dest: "{{out}}/motd" }
- import_tasks: more.yml
`,
      'roles/web/tasks/more.yml': '- copy: { src: motd, dest: "{{out}}/motd2" }\n',
      // Same names beside the playbook: the role's own win.
      'templates/web.conf.hbs': 'playbook template\n',
      'files/motd': 'playbook file\n',
      'site.yml': `- hosts: localhost\n  vars: { out: ${dir.path}/out }\n  roles: [web]\n  pre_tasks:\n    - file: { path: "{{out}}", state: directory }\n`,
    });
    const first = await rackplay('run', files['site.yml']!, '--output', 'plain');
    expect(first.code, first.stdout + first.stderr).toBe(0);
    await expect(readFile(join(dir.path, 'out', 'web.conf'), 'utf8')).resolves.toBe('role template port=8080\n');
    await expect(readFile(join(dir.path, 'out', 'motd'), 'utf8')).resolves.toBe('role file\n');
    await expect(readFile(join(dir.path, 'out', 'motd2'), 'utf8')).resolves.toBe('role file\n');
    const second = await rackplay('run', files['site.yml']!, '--output', 'plain');
    expect(recapOf(second.stdout, 'localhost')).toMatchObject({ changed: 0, failed: 0 });
  });
});

describe('roles: where they are found', () => {
  it('roles/ beside the playbook first, then --roles-path, then RACKPLAY_ROLES_PATH (colon-separated)', async () => {
    const files = await writeFiles(dir.path, {
      'play/site.yml': '- hosts: localhost\n  roles: [shared, local_one]\n',
      'play/roles/local_one/tasks/main.yml': debug('local_one beside the playbook'),
      'shelf/local_one/tasks/main.yml': debug('local_one from the shelf'),
      'shelf/shared/tasks/main.yml': debug('shared from the shelf'),
      'env-shelf/shared/tasks/main.yml': debug('shared from the env shelf'),
    });
    const site = files['play/site.yml']!;
    const saved = process.env.RACKPLAY_ROLES_PATH;
    try {
      delete process.env.RACKPLAY_ROLES_PATH;
      const missing = await rackplay('run', site);
      expect(missing.code).toBe(4);
      expect(missing.stderr).toContain("E_ROLE_NOT_FOUND role 'shared' not found");

      const cli = await runJson('run', site, '--roles-path', `${join(dir.path, 'nowhere')}:${join(dir.path, 'shelf')}`);
      expect(cli.code, cli.stderr).toBe(0);
      expect(cli.messages).toEqual(['localhost: shared from the shelf', 'localhost: local_one beside the playbook']);

      process.env.RACKPLAY_ROLES_PATH = join(dir.path, 'env-shelf');
      const env = await runJson('run', site);
      expect(env.code, env.stderr).toBe(0);
      expect(env.messages[0]).toBe('localhost: shared from the env shelf');

      const both = await runJson('run', site, '--roles-path', join(dir.path, 'shelf'));
      expect(both.messages[0]).toBe('localhost: shared from the shelf');
    } finally {
      if (saved === undefined) delete process.env.RACKPLAY_ROLES_PATH;
      else process.env.RACKPLAY_ROLES_PATH = saved;
    }
  });

  it('a role can be named by path, relative to the playbook; role_name and role_path are set', async () => {
    const files = await writeFiles(dir.path, {
      'site.yml': '- hosts: localhost\n  gather_facts: false\n  roles: [./vendor/thing]\n',
      'vendor/thing/tasks/main.yml': debug('thing by path: {{role_name}} in {{role_path}}'),
    });
    const run = await runJson('run', files['site.yml']!);
    expect(run.code, run.stderr).toBe(0);
    expect(run.messages).toEqual([`localhost: thing by path: thing in ${join(dir.path, 'vendor', 'thing')}`]);
    expect(run.results[0]!.task.name).toBe('thing : debug');
  });
});
