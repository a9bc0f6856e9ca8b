import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedKey } from '../../modules/serf_agent/key-file.js';
import { rackplay, recapOf } from '../helpers/cli.js';
import { localInventory, writeFiles } from '../helpers/playbook.js';
import { eventually, serfAvailable, startSerfLab } from '../lab/serf-lab.js';
import type { SerfLab, SerfNode } from '../lab/serf-lab.js';

const available = serfAvailable();
if (!available) console.warn('SKIPPED the real-agent part of test/serf/encrypted-validation.test.ts: needs the Debian packages serf and dpkg');

describe('serf_agent validation (before any host is contacted)', () => {
  it('rejects an unknown config key with did-you-mean, a bad encrypt_key, a bad duration and a bad address: exit 4, file:line:col', async () => {
    const lab = startSerfLab();
    try {
      const files = await writeFiles(lab.dir, {
        'bad.yml': [
          '- hosts: localhost',
          '  tasks:',
          '    - serf_agent:',
          '        config:',
          '          node_nmae: a',
          '          encrypt_key: "not-a-key"',
          '          reconnect_timeout: "1 day"',
          '          rpc_addr: "127.0.0.1"',
          '',
        ].join('\n'),
      });
      const run = await rackplay('validate', files['bad.yml']!);
      expect(run.code).toBe(4);
      const out = run.stdout + run.stderr;
      expect(out).toContain(`${files['bad.yml']}:5:11 E_UNKNOWN_PARAM unknown parameter 'config.node_nmae' for module serf_agent (did you mean 'node_name'?)`);
      expect(out).toContain(`${files['bad.yml']}:6:24 E_INVALID_PARAM parameter 'config.encrypt_key' of module serf_agent must be base64 of 32 bytes`);
      expect(out).toContain(`${files['bad.yml']}:7:30 E_INVALID_PARAM parameter 'config.reconnect_timeout' of module serf_agent must be a Go duration`);
      expect(out).toContain(`${files['bad.yml']}:8:21 E_INVALID_PARAM parameter 'config.rpc_addr' of module serf_agent must be host:port`);
    } finally {
      lab.stop();
    }
  });
});

describe('encrypt_key: generate', () => {
  it('creates the key once even when many hosts ask at the same time', async () => {
    const lab = startSerfLab();
    try {
      const file = join(lab.dir, 'keys', 'serf.key');
      const keys = await Promise.all(Array.from({ length: 20 }, () => generatedKey(file)));
      expect(new Set(keys).size).toBe(1);
      expect(Buffer.from(keys[0]!, 'base64').length).toBe(32);
      expect(readFileSync(file, 'utf8').trim()).toBe(keys[0]);
    } finally {
      lab.stop();
    }
  });
});

describe.skipIf(!available)('an encrypted cluster with a generated key', () => {
  let lab: SerfLab;
  let nodes: SerfNode[];
  let files: Record<string, string>;

  beforeAll(async () => {
    lab = startSerfLab();
    nodes = [await lab.node('e1'), await lab.node('e2'), await lab.node('e3')];
    const vars = Object.fromEntries(nodes.map((node) => [node.name, { serf_bind: node.bind, serf_rpc: node.rpcAddr, serf_dir: node.dir }]));
    files = await writeFiles(lab.dir, {
      'hosts.ini': localInventory({ enc: nodes.map((node) => node.name) }, vars),
      'site.yml': `- hosts: enc
  tasks:
    - serf_agent:
        config_file: "{{serf_dir}}/serf.json"
        pid_file: "{{serf_dir}}/serf.pid"
        log_file: "{{serf_dir}}/serf.log"
        service_manager: daemon
        encrypt_key_file: secrets/serf.key
        config:
          node_name: "{{inventory_hostname}}"
          bind: "{{serf_bind}}"
          rpc_addr: "{{serf_rpc}}"
          rpc_auth: "rpc-token-1234"
          encrypt_key: generate
        join: ["${nodes[0]!.bind}"]
        wait_for_members: { count: 3, timeout: 20 }
    - debug: { msg: "the token is rpc-token-1234" }
`,
    });
  });
  afterAll(() => lab?.stop());

  it('uses one key on every host and run, forms an encrypted cluster, and never prints the key or the token', async () => {
    const checked = await rackplay('run', files['site.yml']!, '-i', files['hosts.ini']!, '--check');
    expect(checked.code, checked.stdout).toBe(0);
    expect(existsSync(join(lab.dir, 'secrets', 'serf.key')), 'no key is generated under --check').toBe(false);
    const first = await rackplay('run', files['site.yml']!, '-i', files['hosts.ini']!, '--diff', '-v');
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const key = readFileSync(join(lab.dir, 'secrets', 'serf.key'), 'utf8').trim();
    for (const node of nodes) expect((JSON.parse(readFileSync(node.configFile, 'utf8')) as { encrypt_key: string }).encrypt_key).toBe(key);
    expect(first.stdout).not.toContain(key);
    expect(first.stdout).not.toContain('rpc-token-1234');
    // config.rpc_auth is x-secret inside config: the run masks it wherever it shows up later.
    expect(first.stdout).toContain('the token is ********');
    await eventually(() => lab.members(nodes[2]!, 'rpc-token-1234').filter((member) => member.status === 'alive').length === 3, 10_000, 'three alive members');
    const info = JSON.parse(
      (await import('node:child_process')).execFileSync('serf', ['info', `-rpc-addr=${nodes[1]!.rpcAddr}`, '-format=json'], { env: { ...process.env, SERF_RPC_AUTH: 'rpc-token-1234' }, encoding: 'utf8' }),
    ) as { serf: { encrypted: string } };
    expect(info.serf.encrypted).toBe('true');
    const second = await rackplay('run', files['site.yml']!, '-i', files['hosts.ini']!);
    for (const node of nodes) expect(recapOf(second.stdout, node.name).changed).toBe(0);
  });
});
