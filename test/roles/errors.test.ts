import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rackplay, tempDir } from '../helpers/cli.js';
import { writeFiles } from '../helpers/playbook.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => (dir = await tempDir('rackplay-roles-bad-')));
afterEach(async () => dir.cleanup());

/** A first task that would leave a marker: the run must stop at validation, before any host is touched. */
const markerTask = (path: string) => `    - copy: { content: "touched\\n", dest: ${path} }\n`;

async function expectInvalid(site: string, marker: string): Promise<string> {
  const run = await rackplay('run', site, '--output', 'plain');
  expect(run.code, run.stdout + run.stderr).toBe(4);
  expect(run.stderr).toMatch(/problems? found; no host was contacted/);
  expect(existsSync(marker)).toBe(false);
  return run.stderr;
}

describe('roles: load errors, before any host is touched (exit 4)', () => {
  it('a missing role: E_ROLE_NOT_FOUND at the use, with the searched folders and a suggestion', async () => {
    const marker = join(dir.path, 'marker');
    const files = await writeFiles(dir.path, {
      'roles/webserver/tasks/main.yml': '- debug: { msg: hi }\n',
      'site.yml': `- hosts: localhost\n  pre_tasks:\n${markerTask(marker)}  roles:\n    - common\n    - webservr\n  tasks:\n    - include_role: { name: nothere }\n`,
    });
    const stderr = await expectInvalid(files['site.yml']!, marker);
    const site = files['site.yml']!;
    expect(stderr).toContain(`${site}:5:7 E_ROLE_NOT_FOUND role 'common' not found; searched ${join(dir.path, 'roles')}`);
    expect(stderr).toContain(`${site}:6:7 E_ROLE_NOT_FOUND role 'webservr' not found (did you mean 'webserver'?)`);
    expect(stderr).toContain(`${site}:8:29 E_ROLE_NOT_FOUND role 'nothere' not found`);
  });

  it('a dependency cycle: E_ROLE_CYCLE naming the chain, positioned in the meta file that closes it', async () => {
    const marker = join(dir.path, 'marker');
    const files = await writeFiles(dir.path, {
      'roles/a/meta/main.yml': 'dependencies:\n  - b\n',
      'roles/b/meta/main.yml': 'galaxy_info: {}\ndependencies:\n  - role: c\n',
      'roles/c/meta/main.yml': 'dependencies: [a]\n',
      'roles/self/tasks/main.yml': '- import_role: { name: self }\n',
      'site.yml': `- hosts: localhost\n  pre_tasks:\n${markerTask(marker)}  roles: [a]\n  tasks:\n    - import_role: { name: self }\n`,
    });
    const stderr = await expectInvalid(files['site.yml']!, marker);
    expect(stderr).toContain(`${join(dir.path, 'roles/c/meta/main.yml')}:1:16 E_ROLE_CYCLE role cycle: a -> b -> c -> a`);
    expect(stderr).toContain(`${join(dir.path, 'roles/self/tasks/main.yml')}:1:24 E_ROLE_CYCLE role cycle: self -> self`);
  });

  it('problems inside role files are reported at their file:line:col, include_role too, whatever its when', async () => {
    const marker = join(dir.path, 'marker');
    const files = await writeFiles(dir.path, {
      'roles/web/tasks/main.yml': '- name: Config\n  copy: { content: x, dset: /tmp/x }\n- debug: { msg: "{{undefined_thing}}" }\n',
      'roles/web/handlers/main.yml': '- name: restart\n  servce: { name: web }\n',
      'roles/web/defaults/main.yml': 'a: [unclosed\n',
      'roles/later/tasks/main.yml': '- debug: { msg: ok }\n  whn: true\n',
      'roles/later/meta/main.yml': 'dependencies: 3\n',
      'site.yml': `- hosts: localhost\n  pre_tasks:\n${markerTask(marker)}  roles: [web]\n  tasks:\n    - include_role: { name: later }\n      when: false\n`,
    });
    const stderr = await expectInvalid(files['site.yml']!, marker);
    const role = (path: string) => join(dir.path, 'roles', path);
    expect(stderr).toContain(`${role('web/tasks/main.yml')}:2:23 E_UNKNOWN_PARAM`);
    expect(stderr).toMatch(new RegExp(`${role('web/tasks/main.yml')}:3:\\d+ E_UNDEFINED_VARIABLE undefined variable 'undefined_thing'`));
    expect(stderr).toContain(`${role('web/handlers/main.yml')}:2:3 E_UNKNOWN_MODULE unknown module 'servce'`);
    expect(stderr).toMatch(new RegExp(`${role('web/defaults/main.yml')}:\\d+:\\d+ E_YAML_SYNTAX`));
    expect(stderr).toContain(`${role('later/tasks/main.yml')}:2:3 E_UNKNOWN_KEYWORD unknown task keyword 'whn' (did you mean 'when'?)`);
    expect(stderr).toContain(`${role('later/meta/main.yml')}:1:15 E_WRONG_TYPE dependencies must be a list of roles`);
  });

  it('role entries and statements are checked: unknown keys, templated names, undefined variables in role files', async () => {
    const marker = join(dir.path, 'marker');
    const files = await writeFiles(dir.path, {
      'roles/web/defaults/main.yml': 'web_port: 80\n',
      'roles/web/tasks/main.yml': '- debug: { msg: "{{web_port}}" }\n',
      'roles/api/defaults/main.yml': 'api_port: 80\napi_url: "http://{{api_hots}}:{{api_port}}"\n',
      'roles/api/tasks/main.yml': '- debug: { msg: "{{api_url}}" }\n',
      'site.yml': `- hosts: localhost
  pre_tasks:
${markerTask(marker)}  roles:
    - { role: web, wen: true, port: 8080 }
    - { role: api, vars: { api_port: "{{nope}}" } }
  tasks:
    - include_role: { name: "{{which}}" }
      vars: { which: web }
    - import_role: { name: web, tasks_form: other }
    - import_role: { name: web }
      loop: [1, 2]
    - debug: { msg: "{{web_port}}" }
`,
    });
    const stderr = await expectInvalid(files['site.yml']!, marker);
    const site = files['site.yml']!;
    expect(stderr).toContain(`${site}:5:20 E_UNKNOWN_KEYWORD unknown role keyword 'wen' (did you mean 'when'?)`);
    expect(stderr).toContain(`${site}:5:31 E_UNKNOWN_KEYWORD unknown role keyword 'port'; role parameters go under vars:`);
    expect(stderr).toContain(`${site}:8:29 E_SCHEMA role names must be static`);
    expect(stderr).toMatch(new RegExp(`${site}:10:33 E_UNKNOWN_PARAM .*tasks_form`));
    expect(stderr).toContain(`${site}:12:7 E_UNKNOWN_KEYWORD unknown import_role keyword 'loop': a role is looped over with include_role, import_role is static`);
    expect(stderr).toContain(`${join(dir.path, 'roles/api/defaults/main.yml')}:2:10 E_UNDEFINED_VARIABLE undefined variable 'api_hots'`);
    expect(stderr).toContain(`${site}:6:38 E_UNDEFINED_VARIABLE undefined variable 'nope'`);
    // A roles: role's defaults reach the play's tasks, as in Ansible: web_port is defined there.
    expect(stderr).not.toContain(`${site}:13:`);
  });
});
