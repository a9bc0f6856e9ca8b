import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rackplay, tempDir } from '../helpers/cli.js';
import { writeFiles } from '../helpers/playbook.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => (dir = await tempDir()));
afterEach(async () => dir.cleanup());

async function validateTask(task: string) {
  const files = await writeFiles(dir.path, { 'site.yml': `- hosts: localhost\n  gather_facts: false\n  tasks:\n${task}\n` });
  const run = await rackplay('validate', files['site.yml']!);
  return { ...run, file: files['site.yml']! };
}

const problems = (stderr: string) => stderr.split('\n').filter((line) => / E_[A-Z_]+ /.test(line));

describe('a value with a line break cannot add lines to a line-oriented file', () => {
  it.each([
    ['lxc_container config', `    - lxc_container:\n        name: web1\n        config: { lxc.uts.name: "web1\\nlxc.hook.pre-start = /bin/sh -c 'touch /tmp/pwned'" }`, 6, "parameter 'config.lxc.uts.name' of module lxc_container must be a single line"],
    ['lxc_container list item', `    - lxc_container:\n        name: web1\n        config: { lxc.mount.entry: ["/a b none bind 0 0", "/c d none bind 0 0\\nlxc.hook.start = /x"] }`, 6, "parameter 'config.lxc.mount.entry.1' of module lxc_container must be a single line"],
    ['lineinfile line', `    - lineinfile: { path: /tmp/x, line: "a\\nb" }`, 4, "parameter 'line' of module lineinfile must be a single line"],
    ['iptables comment', `    - iptables_rule: { chain: INPUT, jump: ACCEPT, comment: "ok\\n-A INPUT -j DROP" }`, 4, "parameter 'comment' of module iptables_rule must be a single line"],
    ['serf tag value', `    - serf_agent: { config: { node_name: n1, tags: { role: "web\\nx" } } }`, 4, "parameter 'config.tags.role' of module serf_agent must be a single line"],
    ['serf node name', `    - serf_agent: { config: { node_name: "n1\\r" } }`, 4, "parameter 'config.node_name' of module serf_agent must be a single line"],
  ])('%s: exit 4 at the value', async (_name, task, line, message) => {
    const run = await validateTask(task);
    expect(run.code).toBe(4);
    expect(problems(run.stderr)).toEqual([expect.stringMatching(new RegExp(`^${run.file}:${line}:\\d+ E_INVALID_PARAM ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))]);
  });

  it('a line break arriving through a variable fails the task after templating, and the file is untouched', async () => {
    const target = join(dir.path, 'sshd_config');
    writeFileSync(target, 'PermitRootLogin no\n');
    const files = await writeFiles(dir.path, {
      'site.yml': `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - lineinfile: { path: "${target}", line: "{{banner}}" }\n`,
    });
    const run = await rackplay('run', files['site.yml']!, '--output', 'plain', '-e', '{"banner": "Banner /etc/issue\\nPermitRootLogin yes"}');
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("parameter 'line' of module lineinfile must be a single line");
    expect(readFileSync(target, 'utf8')).toBe('PermitRootLogin no\n');
  });
});

describe('values cannot become options of the tools run', () => {
  it.each([
    ['file owner', `    - file: { path: /tmp/x, state: touch, owner: "--reference=/etc/shadow" }`, "parameter 'owner' of module file must be a user or group name"],
    ['copy group', `    - copy: { content: x, dest: /tmp/x, group: "-R" }`, "parameter 'group' of module copy must be a user or group name"],
    ['lineinfile owner', `    - lineinfile: { path: /tmp/x, line: y, owner: "root --reference=/etc" }`, "parameter 'owner' of module lineinfile must be a user or group name"],
    ['serf_event name', `    - serf_event: { name: "-rpc-addr=127.0.0.1:1" }`, "parameter 'name' of module serf_event must be a name without spaces, not starting with '-'"],
  ])('%s: exit 4', async (_name, task, message) => {
    const run = await validateTask(task);
    expect(run.code).toBe(4);
    expect(problems(run.stderr)).toEqual([expect.stringContaining(message)]);
  });

  it('owners and groups by name, by id and with a machine-account $ still validate', async () => {
    const run = await validateTask(`    - file: { path: /tmp/x, state: touch, owner: www-data, group: "1000" }\n    - file: { path: /tmp/y, state: touch, owner: "host$" }`);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});
