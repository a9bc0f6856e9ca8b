import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paramsTypeSource } from '../../../src/module/schema-to-type.js';
import { rackplay, tempDir } from '../../helpers/cli.js';
import { writeFiles } from '../../helpers/playbook.js';

const root = join(import.meta.dirname, '..', '..', '..');
const schema = JSON.parse(readFileSync(join(root, 'schemas', 'modules', 'lxc_container.json'), 'utf8')) as { examples: unknown[] };
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

describe('schemas/modules/lxc_container.json', () => {
  it('its examples validate', () => {
    for (const example of schema.examples) expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ['a name with a space', { name: 'web 1' }],
    ['a name with a slash', { name: 'a/b' }],
    ['"..", which LXC would create outside lxc_path', { name: '..' }],
    ['a name that reads as an option', { name: '-web' }],
    ['a 65-character name', { name: 'a'.repeat(65) }],
    ['a config key outside lxc.', { name: 'w', config: { 'net.0.type': 'veth' } }],
    ['a nested config value', { name: 'w', config: { 'lxc.tty.max': { a: 1 } } }],
    ['container_command with state stopped', { name: 'w', state: 'stopped', container_command: 'true' }],
    ['creates without container_command', { name: 'w', creates: '/x' }],
    ['clone_from with a template', { name: 'w', clone_from: 'b', template: 'busybox' }],
    ['lvm options on dir', { name: 'w', vg_name: 'vg0' }],
    ['an unknown compression', { name: 'w', archive: { path: '/a', compression: 'xz' } }],
    ['a relative archive path', { name: 'w', archive: { path: 'a.tar' } }],
  ])('refuses %s', (_label, params) => {
    expect(validate(params)).toBe(false);
  });

  it.each([
    ['dotted and dashed names', { name: 'web-1.lab_a' }],
    ['a multi-valued key', { name: 'w', config: { 'lxc.mount.entry': ['/a a none bind 0 0'], 'lxc.tty.max': 1, 'lxc.apparmor.allow_nesting': true } }],
    ['a snapshot clone', { name: 'w', clone_from: 'b', clone_snapshot: true }],
    ['lvm with its options', { name: 'w', template: 'busybox', backing_store: 'lvm', vg_name: 'vg0', fs_size: '2G' }],
  ])('accepts %s', (_label, params) => {
    expect(validate(params), JSON.stringify(validate.errors)).toBe(true);
  });

  it('matches modules/lxc_container/params.generated.ts', () => {
    expect(readFileSync(join(root, 'modules', 'lxc_container', 'params.generated.ts'), 'utf8')).toBe(paramsTypeSource('lxc_container', schema as never));
  });
});

describe('rackplay validate: an invalid container name', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(async () => dir?.cleanup());

  it('is a validation error at the name, file:line:col, exit 4, before any host is contacted', async () => {
    const files = await writeFiles(dir.path, {
      'site.yml': ['- hosts: localhost', '  tasks:', '    - name: bad name', '      lxc_container:', '        name: "web 1"', '        template: busybox', ''].join('\n'),
    });
    const run = await rackplay('validate', files['site.yml']!);
    expect(run.code, run.stdout + run.stderr).toBe(4);
    expect(run.stdout + run.stderr).toMatch(new RegExp(`${files['site.yml']!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5:15 \\S+ .*name`));
  });
});
