import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { AddressInfo, Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rackplay, recapOf, tempDir } from '../../helpers/cli.js';
import { localInventory, writeFiles } from '../../helpers/playbook.js';

/** A TCP listener standing in for a host's SSH port: it counts every connection made to it. */
async function countingListener(): Promise<{ server: Server; port: number; connections: () => number }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, connections: () => connections };
}

describe('ipvs_service: value-comparing rules fail at validation, before any host is contacted', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let listener: Awaited<ReturnType<typeof countingListener>>;
  beforeAll(async () => {
    dir = await tempDir('rackplay-ipvs-');
    listener = await countingListener();
  });
  afterAll(async () => {
    await new Promise((resolve) => listener.server.close(resolve));
    await dir.cleanup();
  });

  it('a dr real server on another port: exit 4, file:line:col of that port, no connection', async () => {
    const files = await writeFiles(dir.path, {
      'hosts.ini': `[lb]\ndirector ansible_host=127.0.0.1 ansible_port=${listener.port} ansible_user=nobody\n`,
      'site.yml': [
        '- hosts: lb',
        '  tasks:',
        '    - name: web VIP',
        '      ipvs_service:',
        '        address: 10.0.0.100',
        '        port: 80',
        '        real_servers:',
        '          - address: 10.0.1.11',
        '          - address: 10.0.1.12',
        '            port: 8080',
        '',
      ].join('\n'),
    });
    const run = await rackplay('run', files['site.yml']!, '-i', files['hosts.ini']!);
    expect(run.code, run.stdout + run.stderr).toBe(4);
    expect(run.stderr).toContain(
      `${files['site.yml']}:10:19 E_INVALID_PARAM parameter 'real_servers.1.port' of module ipvs_service: port 8080 differs from the service port 80: with dr forwarding a real server receives the service port (ipvsadm would silently use 80)`,
    );
    expect(run.stderr).toContain('1 problem found; no host was contacted.');
    expect(listener.connections()).toBe(0);
  });

  it('reports schema and module rules together, each at its value', async () => {
    const lines = [
      '- hosts: lb',
      '  tasks:',
      '    - ipvs_service: { address: 10.0.0.1, port: 0, real_servers: [{ address: 10.0.1.1 }] }',
      '    - ipvs_service: { address: 10.0.0.300, port: 80, scheduler: rrr }',
      '    - ipvs_service: { address: 10.0.0.1, port: 80, one_packet: true }',
      '    - ipvs_service: { address: 10.0.0.1, port: 80, real_servers: [{ address: 10.0.1.1, forwarding: tunnel, port: 81 }, { address: 10.0.1.2 }, { address: 10.0.1.2, port: 80 }] }',
    ];
    const files = await writeFiles(dir.path, { 'many.yml': `${lines.join('\n')}\n` });
    const file = files['many.yml']!;
    /** file:line:col of the `nth` occurrence of `text` on 1-based line `line`. */
    const at = (line: number, text: string, nth = 1) => {
      let col = -1;
      for (let i = 0; i < nth; i++) col = lines[line - 1]!.indexOf(text, col + 1);
      return `${file}:${line}:${col + 1}`;
    };
    const run = await rackplay('run', file, '-i', join(dir.path, 'hosts.ini'));
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(`${at(3, '0,')} E_INVALID_PARAM parameter 'port' of module ipvs_service must be >= 1 (port 0 needs persistence)`);
    expect(run.stderr).toContain(`${at(4, '10.0.0.300')} E_INVALID_PARAM parameter 'address' of module ipvs_service must be an IPv4 or IPv6 address`);
    expect(run.stderr).toContain(`${at(4, 'rrr')} E_INVALID_PARAM parameter 'scheduler' of module ipvs_service must be one of: rr, wrr, lc, wlc, lblc, lblcr, dh, sh, sed, nq, fo, ovf, mh (did you mean 'rr'?)`);
    expect(run.stderr).toContain(`${at(5, 'true')} E_INVALID_PARAM parameter 'one_packet' of module ipvs_service must be one of: false (one_packet is for udp and fwmark services only)`);
    expect(run.stderr).toContain(`${at(6, '81')} E_INVALID_PARAM parameter 'real_servers.0.port' of module ipvs_service: port 81 differs from the service port 80: with tunnel forwarding`);
    expect(run.stderr).toContain(`${at(6, '10.0.1.2', 2)} E_INVALID_PARAM parameter 'real_servers.2.address' of module ipvs_service: real server 10.0.1.2:80 is listed twice (first as real_servers[1])`);
    expect(run.stderr).toContain('6 problems found; no host was contacted.');
    expect(listener.connections()).toBe(0);
  });

  it('checks templated values again after rendering, at the same place, before the module runs', async () => {
    const files = await writeFiles(dir.path, {
      'local.ini': localInventory({ lb: ['director'] }),
      'templated.yml': [
        '- hosts: lb',
        '  vars: { backend_port: 8080 }',
        '  tasks:',
        '    - ipvs_service:',
        '        address: 10.0.0.100',
        '        port: 80',
        '        real_servers:',
        '          - { address: 10.0.1.11, port: "{{backend_port}}" }',
        '',
      ].join('\n'),
    });
    const run = await rackplay('run', files['templated.yml']!, '-i', files['local.ini']!);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stdout).toContain(`after templating: ${files['templated.yml']}:8:41 E_INVALID_PARAM parameter 'real_servers.0.port' of module ipvs_service: port 8080 differs from the service port 80`);
    expect(recapOf(run.stdout, 'director')).toMatchObject({ failed: 1, changed: 0 });
  });
});

/** This machine's kernel has no ip_vs (see LAB-NOTES): ipvsadm answers "Can't initialize ipvs". */
function hostLacksIpvs(): { lacks: boolean; why: string } {
  try {
    execFileSync('ipvsadm', ['-S', '-n'], { stdio: 'pipe' });
    return { lacks: false, why: 'this host has IPVS: the test would change its real IPVS table' };
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '');
    if (stderr.includes("Can't initialize ipvs")) return { lacks: true, why: '' };
    return { lacks: false, why: `ipvsadm cannot run here: ${stderr.trim() || String(error)}` };
  }
}

const probe = hostLacksIpvs();
if (!probe.lacks) console.warn(`SKIPPED ipvs_service on a host without IPVS: ${probe.why}`);

describe.skipIf(!probe.lacks)('ipvs_service on a host whose kernel has no IPVS (this machine)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => (dir = await tempDir('rackplay-ipvs-noipvs-')));
  afterAll(async () => dir.cleanup());

  const playbook = (extra: string) =>
    ['- hosts: localhost', '  gather_facts: false', '  tasks:', '    - ipvs_service:', '        address: 10.0.0.100', '        port: 80', '        scheduler: rr', `        real_servers: [{ address: 10.0.1.11 }]${extra}`, ''].join('\n');

  it('fails with a message naming modprobe ip_vs and what ipvsadm said', async () => {
    const files = await writeFiles(dir.path, { 'site.yml': playbook('') });
    const run = await rackplay('run', files['site.yml']!, '--output', 'json');
    expect(run.code).toBe(2);
    const result = run.stdout.split('\n').filter((line) => line.includes('"host_result"')).map((line) => JSON.parse(line) as { result: { msg: string } })[0]!.result;
    expect(result.msg).toBe(
      "IPVS is not available in this host's kernel (ipvsadm: Can't initialize ipvs: Protocol not available, exit 2). Load it with 'modprobe ip_vs' (and the scheduler's module, 'modprobe ip_vs_rr'), or set load_module: true.",
    );
  });

  it('with load_module under --check: would load ip_vs and the scheduler, then add the service; changes nothing', async () => {
    const files = await writeFiles(dir.path, { 'load.yml': playbook('\n        load_module: true') });
    const run = await rackplay('run', files['load.yml']!, '--check', '--diff', '--output', 'json');
    expect(run.code, run.stdout).toBe(0);
    const event = run.stdout.split('\n').filter((line) => line.includes('"host_result"')).map((line) => JSON.parse(line) as { status: string; result: { commands: string[] }; diff: { before: string; after: string }[] })[0]!;
    expect(event.status).toBe('changed');
    expect(event.result.commands).toEqual(['modprobe -- ip_vs', 'modprobe -- ip_vs_rr', 'ipvsadm -A -t 10.0.0.100:80 -s rr', 'ipvsadm -a -t 10.0.0.100:80 -r 10.0.1.11:80 -g -w 1']);
    expect(event.diff[0]).toMatchObject({ before: '', after: '-A -t 10.0.0.100:80 -s rr\n-a -t 10.0.0.100:80 -r 10.0.1.11:80 -g -w 1\n' });
  });

  it('with load_module: the failing modprobe is reported with its message and exit code', async () => {
    const files = await writeFiles(dir.path, { 'load.yml': playbook('\n        load_module: true') });
    const run = await rackplay('run', files['load.yml']!, '--output', 'json');
    expect(run.code).toBe(2);
    const result = run.stdout.split('\n').filter((line) => line.includes('"host_result"')).map((line) => JSON.parse(line) as { result: { msg: string } })[0]!.result;
    expect(result.msg).toMatch(/^modprobe -- ip_vs failed with exit 1: modprobe: FATAL: Module ip_vs not found .* \(step 1 of 4: load the IPVS kernel module; nothing was applied before it\)$/);
  });
});
