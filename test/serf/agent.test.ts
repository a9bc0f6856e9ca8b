import { readFileSync, existsSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rackplay, recapOf } from '../helpers/cli.js';
import { localInventory, writeFiles } from '../helpers/playbook.js';
import { eventually, serfAvailable, startSerfLab } from '../lab/serf-lab.js';
import type { SerfLab, SerfNode } from '../lab/serf-lab.js';

const available = serfAvailable();
if (!available) console.warn('SKIPPED test/serf/agent.test.ts: needs the Debian packages serf and dpkg (start-stop-daemon)');

/** Host vars that put one node's agent, files and ports under the lab. */
function nodeVars(node: SerfNode, role: string): Record<string, unknown> {
  return { serf_bind: node.bind, serf_rpc: node.rpcAddr, serf_dir: node.dir, serf_role: role };
}

const agentTask = (extra: string) => `
    - name: serf agent
      serf_agent:
        config_file: "{{serf_dir}}/serf.json"
        pid_file: "{{serf_dir}}/serf.pid"
        log_file: "{{serf_dir}}/serf.log"
        service_manager: daemon
        config:
          node_name: "{{inventory_hostname}}"
          bind: "{{serf_bind}}"
          rpc_addr: "{{serf_rpc}}"
          snapshot_path: "{{serf_dir}}/snapshot"
          tags: { role: "{{serf_role}}" }
${extra}
      register: agent
`;

/** A PID that exists and is not a zombie (an agent that start-stop-daemon detached is reaped by PID 1, if ever). */
function running(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

function pidOf(node: SerfNode): number {
  return Number(readFileSync(node.pidFile, 'utf8').trim());
}

describe.skipIf(!available)('serf_agent against real agents on loopback', () => {
  let lab: SerfLab;
  let nodes: SerfNode[];
  let files: Record<string, string>;

  beforeAll(async () => {
    lab = startSerfLab();
    nodes = [await lab.node('n1'), await lab.node('n2'), await lab.node('n3')];
    const roles = ['lb', 'web', 'web'];
    const inventory = localInventory({ serf: nodes.map((node) => node.name) }, Object.fromEntries(nodes.map((node, i) => [node.name, nodeVars(node, roles[i]!)])));
    files = await writeFiles(lab.dir, {
      'hosts.ini': inventory,
      'site.yml': `- hosts: serf\n  tasks:${agentTask(`        join: ["${nodes[0]!.bind}"]\n        wait_for_members: { count: 3, timeout: 20 }`)}`,
    });
  });
  afterAll(() => lab?.stop());

  it('under --check --diff shows the config JSON it would write and starts nothing', async () => {
    const run = await rackplay('run', files['site.yml']!, '-i', files['hosts.ini']!, '--check', '--diff', '-l', 'n1');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(`+  "bind": "${nodes[0]!.bind}",`);
    expect(recapOf(run.stdout, 'n1').changed).toBe(1);
    expect(existsSync(nodes[0]!.configFile)).toBe(false);
    expect(existsSync(nodes[0]!.pidFile)).toBe(false);
  });

  it('writes the config, starts three agents that join, and a second run changes nothing', async () => {
    const first = await rackplay('run', files['site.yml']!, '-i', files['hosts.ini']!);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    for (const node of nodes) expect(recapOf(first.stdout, node.name).changed).toBe(1);
    const config = JSON.parse(readFileSync(nodes[1]!.configFile, 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ node_name: 'n2', bind: nodes[1]!.bind, rpc_addr: nodes[1]!.rpcAddr, tags: { role: 'web' } });
    // The join is visible from every agent, not only the one that joined.
    for (const node of nodes) {
      const seen = lab.members(node).filter((member) => member.status === 'alive').map((member) => member.name).sort();
      expect(seen).toEqual(['n1', 'n2', 'n3']);
    }
    const pids = nodes.map(pidOf);
    const second = await rackplay('run', files['site.yml']!, '-i', files['hosts.ini']!);
    expect(second.code, second.stdout).toBe(0);
    for (const node of nodes) expect(recapOf(second.stdout, node.name).changed).toBe(0);
    expect(nodes.map(pidOf)).toEqual(pids);
  });

  it('applies a tags-only change live: same PID, and the other agents see the new tags', async () => {
    const before = pidOf(nodes[2]!);
    const playbook = join(lab.dir, 'tags.yml');
    writeFileSync(playbook, `- hosts: n3\n  tasks:${agentTask('').replace('tags: { role: "{{serf_role}}" }', 'tags: { role: "{{serf_role}}", zone: "b" }')}\n    - assert: { that: ["agent.tags_changed", "not agent.restarted"] }\n`);
    const run = await rackplay('run', playbook, '-i', files['hosts.ini']!, '--diff');
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('+    "zone": "b"');
    expect(recapOf(run.stdout, 'n3').changed).toBe(1);
    expect(pidOf(nodes[2]!)).toBe(before);
    await eventually(() => lab.members(nodes[0]!).find((member) => member.name === 'n3')?.tags.zone === 'b', 10_000, 'n1 to see zone=b on n3');
    const again = await rackplay('run', playbook, '-i', files['hosts.ini']!);
    expect(recapOf(again.stdout, 'n3').changed).toBe(0);
  });

  it('restarts on a config change other than tags', async () => {
    const before = pidOf(nodes[1]!);
    const playbook = join(lab.dir, 'restart.yml');
    writeFileSync(playbook, `- hosts: n2\n  tasks:${agentTask('').replace('snapshot_path:', 'log_level: debug\n          snapshot_path:')}\n    - assert: { that: ["agent.restarted"] }\n`);
    const run = await rackplay('run', playbook, '-i', files['hosts.ini']!);
    expect(run.code, run.stdout).toBe(0);
    expect(pidOf(nodes[1]!)).not.toBe(before);
    // Its snapshot brings it back into the cluster.
    await eventually(() => lab.members(nodes[0]!).find((member) => member.name === 'n2')?.status === 'alive', 15_000, 'n2 alive again');
  });

  it('fails with the log when the agent cannot start, and refuses an oversized event before sending it', async () => {
    const clash = await lab.node('clash');
    const hostsFile = join(lab.dir, 'clash.ini');
    // Its gossip port is n1's, which is taken: serf exits at once.
    writeFileSync(hostsFile, localInventory({ c: ['clash'] }, { clash: { ...nodeVars(clash, 'web'), serf_bind: nodes[0]!.bind } }));
    const playbook = join(lab.dir, 'clash.yml');
    writeFileSync(playbook, `- hosts: clash\n  tasks:${agentTask('')}`);
    const run = await rackplay('run', playbook, '-i', hostsFile);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/the serf agent exited right after its start; .*serf\.log ends with:/);
    expect(run.stdout).toMatch(/address already in use/);

    const event = join(lab.dir, 'big-event.yml');
    writeFileSync(event, `- hosts: n1\n  tasks:\n    - serf_event: { name: deploy, payload: "${'x'.repeat(600)}", rpc_addr: "{{serf_rpc}}" }\n`);
    const sent = await rackplay('run', event, '-i', files['hosts.ini']!);
    expect(sent.code).toBe(2);
    expect(sent.stdout).toContain("user event 'deploy' is 640 bytes once encoded (name 6 + payload 600, 606 raw), over user_event_size_limit 512: nothing was sent");
  });

  it('fails clearly when wait_for_members cannot be met in time', async () => {
    const playbook = join(lab.dir, 'wait.yml');
    writeFileSync(playbook, `- hosts: n1\n  tasks:${agentTask(`        wait_for_members: { count: 2, tags: { role: db }, timeout: 2 }`)}`);
    const started = Date.now();
    const run = await rackplay('run', playbook, '-i', files['hosts.ini']!);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/wait_for_members: timed out after 2 s waiting for 2 alive members with tags role=db; the agent sees 0: .*n1 \(alive\)/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('stops an agent by its pidfile (graceful leave) and removes it with state absent', async () => {
    const playbook = join(lab.dir, 'absent.yml');
    const pid = pidOf(nodes[2]!);
    writeFileSync(playbook, `- hosts: n3\n  tasks:${agentTask('').replace('service_manager: daemon', 'service_manager: daemon\n        state: absent')}`);
    const run = await rackplay('run', playbook, '-i', files['hosts.ini']!);
    expect(run.code, run.stdout).toBe(0);
    expect(running(pid)).toBe(false);
    expect(existsSync(nodes[2]!.configFile)).toBe(false);
    await eventually(() => lab.members(nodes[0]!).find((member) => member.name === 'n3')?.status === 'left', 10_000, 'n3 to have left');
    const again = await rackplay('run', playbook, '-i', files['hosts.ini']!);
    expect(recapOf(again.stdout, 'n3').changed).toBe(0);
  });

  it('runs event handlers on member-join and on a user event sent by serf_event', async () => {
    const handler = join(lab.dir, 'handler.sh');
    const record = join(lab.dir, 'events.log');
    writeFileSync(handler, `#!/bin/sh\nprintf '%s %s\\n' "$SERF_EVENT" "$SERF_USER_EVENT$(cat)" >> ${record}\n`);
    chmodSync(handler, 0o755);
    const node = await lab.node('h1');
    const joiner = await lab.node('h2');
    const hostsFile = join(lab.dir, 'handlers.ini');
    writeFileSync(hostsFile, localInventory({ h: ['h1', 'h2'] }, { h1: nodeVars(node, 'lb'), h2: nodeVars(joiner, 'web') }));
    const playbook = join(lab.dir, 'handlers.yml');
    writeFileSync(
      playbook,
      `- hosts: h1\n  tasks:${agentTask(`          event_handlers: ["member-join,member-leave,member-failed,user=${handler}"]`).replace('          tags: { role: "{{serf_role}}" }\n', '          tags: { role: "{{serf_role}}" }\n')}
- hosts: h2
  tasks:${agentTask(`        join: ["${node.bind}"]`)}
    - serf_event: { name: deploy, payload: "v42", coalesce: false, rpc_addr: "{{serf_rpc}}" }
`,
    );
    const run = await rackplay('run', playbook, '-i', hostsFile);
    expect(run.code, run.stdout).toBe(0);
    // Serf coalesces member events for a few seconds before it runs the handlers.
    const recorded = () => (existsSync(record) ? readFileSync(record, 'utf8') : '');
    await eventually(() => recorded().includes('user deployv42') && /^member-join /m.test(recorded()), 20_000, 'the handler to record member-join and the user event');
    expect(recorded()).toMatch(/^member-join /m);
    expect(recorded()).toContain('user deployv42');
  });
});
