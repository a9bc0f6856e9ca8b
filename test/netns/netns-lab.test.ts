import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { openSsh, sshTargetFromVars, type SshConnection, type SshTarget } from '../../src/connection/ssh/index.js';
import { UnreachableError } from '../../src/connection/types.js';
import { ip } from '../lab/netns-exec.js';
import { netnsUnsupportedReason, startNetnsLab, type NetnsHost, type NetnsLab } from '../lab/netns-lab.js';

const HOSTS = 5;
const skipReason = netnsUnsupportedReason();
if (skipReason !== undefined) console.warn(`SKIPPED: netns lab tests: ${skipReason}`);
const itLab = skipReason === undefined ? it : it.skip;
const skipped = skipReason === undefined ? '' : ` (SKIPPED: ${skipReason})`;

function targetOf(lab: NetnsLab, host: NetnsHost): SshTarget {
  return {
    host: host.address,
    port: host.port,
    user: lab.user,
    privateKeyPaths: [lab.privateKeyPath],
    knownHostsFile: lab.knownHostsFile,
    hostKeyChecking: 'strict',
    connectTimeoutMs: 5_000,
  };
}

describe(`netns lab with ${HOSTS} hosts`, () => {
  let lab: NetnsLab | undefined;
  let connections: SshConnection[] = [];

  beforeAll(async () => {
    if (skipReason !== undefined) return;
    lab = await startNetnsLab({ hosts: HOSTS });
    console.info(`netns lab: ${HOSTS} hosts on ${lab.subnet} via ${lab.bridge} set up in ${lab.setupMs.toFixed(0)} ms`);
  });
  afterAll(async () => {
    await Promise.allSettled(connections.map((c) => c.close()));
    await lab?.stop();
  });

  itLab(`sets up ${HOSTS} hosts in under 10 s, each with its own namespace and address on the lab bridge${skipped}`, async () => {
    expect(lab!.setupMs).toBeLessThan(10_000);
    const hosts = lab!.hosts;
    expect(hosts.map((h) => h.name)).toEqual(Array.from({ length: HOSTS }, (_, i) => `host-${i + 1}`));
    expect(new Set(hosts.map((h) => h.namespace)).size).toBe(HOSTS);
    expect(new Set(hosts.map((h) => h.address)).size).toBe(HOSTS);
    const namespaces = await ip('netns', 'list');
    for (const host of hosts) {
      expect(host.address.startsWith(lab!.subnet.replace(/0\/24$/, ''))).toBe(true);
      expect(namespaces).toContain(host.namespace);
      expect((await readFile(`/proc/${host.sshdPid}/comm`, 'utf8')).trim()).toBe('sshd');
      expect(await ip('-4', 'route', 'get', host.address)).toMatch(new RegExp(`^${host.address.replaceAll('.', '\\.')} dev ${lab!.bridge} `));
    }
  });

  itLab(`the controller reaches all ${HOSTS} hosts over SSH in parallel, and each shows its own hostname and address${skipped}`, async () => {
    const started = performance.now();
    connections = await Promise.all(lab!.hosts.map((host) => openSsh(targetOf(lab!, host), host.name)));
    const outputs = await Promise.all(
      connections.map(async (ssh) => ({
        hostname: (await ssh.run(['hostname'])).stdout.trim(),
        whoami: (await ssh.run(['id', '-un'])).stdout.trim(),
        addresses: (await ssh.run(['ip', '-4', '-o', 'addr', 'show'])).stdout,
      })),
    );
    console.info(`netns lab: ${HOSTS} SSH connections + 3 commands each in ${(performance.now() - started).toFixed(0)} ms`);
    lab!.hosts.forEach((host, i) => {
      const out = outputs[i]!;
      expect(out.hostname).toBe(host.name);
      expect(out.whoami).toBe(lab!.user);
      expect(out.addresses).toContain(`inet ${host.address}/24`);
      for (const other of lab!.hosts.filter((h) => h !== host)) expect(out.addresses).not.toContain(`inet ${other.address}/`);
      // The bridge's address lives in the controller's namespace, not here: this is another network stack.
      expect(out.addresses).not.toContain(lab!.gateway);
    });
  });

  itLab(`hosts have no default route: lab traffic cannot leave the bridge${skipped}`, async () => {
    for (const host of lab!.hosts) {
      const routes = await lab!.exec(host, ['ip', '-4', 'route', 'show']);
      expect(routes.code).toBe(0);
      expect(routes.stdout).not.toMatch(/^default/m);
      expect(routes.stdout.trim()).toBe(`${lab!.subnet} dev eth0 proto kernel scope link src ${host.address}`);
    }
  });

  itLab(`hosts reach each other across the bridge (serf clusters will need it)${skipped}`, async () => {
    const [first, second] = lab!.hosts as [NetnsHost, NetnsHost];
    // bash's /dev/tcp: no netcat needed; the banner proves host-2's sshd answered host-1.
    const banner = await lab!.exec(first, ['bash', '-c', `exec 3<>/dev/tcp/${second.address}/22; head -c 7 <&3`]);
    expect(banner.stdout, banner.stderr).toBe('SSH-2.0');
  });

  itLab(`its inventory YAML gives each host a target that sshTargetFromVars + openSsh reach with strict host keys${skipped}`, async () => {
    const inventory = parse(lab!.inventoryYaml()) as {
      all: { hosts: Record<string, Record<string, unknown>>; vars: Record<string, unknown> };
    };
    expect(Object.keys(inventory.all.hosts)).toEqual(lab!.hosts.map((h) => h.name));
    expect(inventory.all.vars.rackplay_host_key_checking).toBe('strict');
    await Promise.all(
      lab!.hosts.map(async (host) => {
        const vars = { ...inventory.all.vars, ...inventory.all.hosts[host.name] };
        expect(vars.rackplay_netns).toBe(host.namespace);
        // A missing ssh config keeps the controller's ~/.ssh/config out of the test.
        const target = sshTargetFromVars(host.name, vars, join(lab!.tempDir, 'no-ssh-config'));
        expect(target).toMatchObject({ host: host.address, port: 22, user: lab!.user, hostKeyChecking: 'strict' });
        const ssh = await openSsh(target, host.name);
        try {
          expect((await ssh.run(['hostname'])).stdout.trim()).toBe(host.name);
        } finally {
          await ssh.close();
        }
      }),
    );
  });

  itLab(`each host has its own host key: host-1's key does not vouch for host-2${skipped}`, async () => {
    const [first, second] = lab!.hosts;
    expect(first!.hostKeyPublic).not.toBe(second!.hostKeyPublic);
    const wrong = join(lab!.tempDir, 'known_hosts.wrong');
    await writeFile(wrong, `${second!.address} ${first!.hostKeyPublic.split(' ').slice(0, 2).join(' ')}\n`);
    const error = await openSsh({ ...targetOf(lab!, second!), knownHostsFile: wrong }, second!.name).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreachableError);
  });
});
