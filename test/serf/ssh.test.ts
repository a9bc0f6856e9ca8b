import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rackplay, recapOf } from '../helpers/cli.js';
import { startSshLab } from '../lab/ssh-lab.js';
import type { SshLab } from '../lab/ssh-lab.js';
import { serfAvailable, startSerfLab } from '../lab/serf-lab.js';
import type { SerfLab } from '../lab/serf-lab.js';
import { isRoot } from '../lab/test-user.js';

const runnable = serfAvailable() && isRoot();
if (!runnable) console.warn('SKIPPED test/serf/ssh.test.ts: needs root (the SSH lab test user) and the Debian packages serf and dpkg');

describe.skipIf(!runnable)('serf_agent over SSH, as an unprivileged user', () => {
  let ssh: SshLab;
  let lab: SerfLab;

  beforeAll(async () => {
    ssh = await startSshLab();
    lab = startSerfLab();
  });
  afterAll(async () => {
    lab?.stop();
    await ssh?.stop();
  });

  it('starts the agent through the persistent shell, then changes nothing', async () => {
    const node = await lab.node('s1');
    // The test user writes the agent's files: its own folder inside the lab's.
    chmodSync(lab.dir, 0o755);
    mkdirSync(node.dir);
    execFileSync('chown', [ssh.user, node.dir]);
    const inventory = join(lab.dir, 'hosts.yml');
    const playbook = join(lab.dir, 'site.yml');
    execFileSync('sh', ['-c', 'cat > "$1"', 'sh', inventory], { input: ssh.inventoryFor(1) });
    execFileSync('sh', ['-c', 'cat > "$1"', 'sh', playbook], {
      input: `- hosts: lab-1
  tasks:
    - serf_agent:
        config_file: ${node.configFile}
        pid_file: ${node.pidFile}
        log_file: ${node.logFile}
        service_manager: daemon
        config: { node_name: s1, bind: "${node.bind}", rpc_addr: "${node.rpcAddr}", tags: { role: web } }
      register: agent
    - assert: { that: ["eq agent.node_name 's1'", "eq (length agent.members) 1"] }
`,
    });
    const first = await rackplay('run', playbook, '-i', inventory);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(recapOf(first.stdout, 'lab-1').changed).toBe(1);
    const pid = Number(readFileSync(node.pidFile, 'utf8'));
    // The agent runs as the SSH user, detached from the session.
    const uid = execFileSync('id', ['-u', ssh.user], { encoding: 'utf8' }).trim();
    expect(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]).toBe(uid);
    expect(lab.members(node).map((member) => member.name)).toEqual(['s1']);
    const second = await rackplay('run', playbook, '-i', inventory);
    expect(recapOf(second.stdout, 'lab-1').changed).toBe(0);
  }, 60_000);
});
