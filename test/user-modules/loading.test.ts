import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rackplay, recapOf, tempDir } from '../helpers/cli.js';
import { localInventory, writeFiles } from '../helpers/playbook.js';
import { FLAKY_MODULE, FLAKY_SCHEMA, OBJECT_SCHEMA, userCopyModule } from './user-module-files.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'user-modules');

describe('user modules: loading, validation, doc and failures (local)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir('rackplay-user-modules-');
  });
  afterEach(async () => {
    await dir.cleanup();
  });

  it("validates a user module's tasks at load with its schema: file:line:col, did-you-mean, nothing run", async () => {
    await symlink(join(fixtures, 'sysctl'), join(dir.path, 'sysctl'));
    const files = await writeFiles(dir.path, {
      'site.yml': ['- hosts: localhost', '  tasks:', '    - sysctl: { name: net.ipv4.ip_forward, valeu: 1 }', '    - sysctll: { name: x }', '    - sysctl: { name: "a b", value: 1 }', ''].join('\n'),
    });
    const result = await rackplay('validate', files['site.yml']!, '--module-path', dir.path);
    expect(result.code).toBe(4);
    const site = files['site.yml']!;
    expect(result.stderr).toContain(`${site}:3:44 E_UNKNOWN_PARAM unknown parameter 'valeu' for module sysctl (did you mean 'value'?)`);
    expect(result.stderr).toContain(`${site}:4:7 E_UNKNOWN_MODULE unknown module 'sysctll' (did you mean 'sysctl'?)`);
    expect(result.stderr).toContain(`${site}:5:23 E_INVALID_PARAM parameter 'name' of module sysctl must be a sysctl key such as net.ipv4.ip_forward`);
    // The schema's cross-field rule works as for a built-in; without a value, state present is refused.
    const missing = await writeFiles(dir.path, { 'missing.yml': '- hosts: localhost\n  tasks:\n    - sysctl: { name: vm.swappiness }\n' });
    const second = await rackplay('validate', missing['missing.yml']!, '--module-path', join(dir.path, 'sysctl'));
    expect(second.stderr).toContain("E_MISSING_PARAM missing required parameter 'value' for module sysctl (state present needs a value)");
  });

  it('rackplay doc lists user modules with their source, from --module-path and --playbook-dir', async () => {
    await mkdir(join(dir.path, 'modules'));
    await symlink(join(fixtures, 'sysctl'), join(dir.path, 'modules', 'sysctl'));
    const flaky = await writeFiles(join(dir.path, 'extra'), { 'flaky/index.mjs': FLAKY_MODULE, 'flaky/schema.json': FLAKY_SCHEMA });
    const list = await rackplay('doc', '--playbook-dir', dir.path, '--module-path', join(dir.path, 'extra'));
    expect(list.code, list.stderr).toBe(0);
    const line = (name: string) => list.stdout.split('\n').find((entry) => entry.startsWith(`${name} `));
    expect(line('sysctl')).toContain(`[user module: ${join(dir.path, 'modules', 'sysctl')} (modules/ beside the playbook)]`);
    expect(line('flaky')).toContain(`[user module: ${join(dir.path, 'extra', 'flaky')} (--module-path)]`);
    expect(line('copy')).not.toContain('user module');
    const one = await rackplay('doc', 'sysctl', '--playbook-dir', dir.path);
    expect(one.stdout).toContain(`USER MODULE from ${join(dir.path, 'modules', 'sysctl')} (modules/ beside the playbook)`);
    expect(one.stdout).toMatch(/name \(string, required\)/);
    expect(one.stdout).toContain('check mode: full   diff: yes');
    expect(flaky['flaky/index.mjs']).toBeDefined();
    // Without the folders, the module is unknown to doc, as it is to a playbook elsewhere.
    const unknown = await rackplay('doc', 'sysctl');
    expect(unknown.code).toBe(5);
    expect(unknown.stderr).toContain("unknown module 'sysctl'");
  });

  it('an invalid schema.json is a load error naming the file: bad JSON with its line, and a schema ajv rejects', async () => {
    await writeFiles(join(dir.path, 'modules'), {
      'broken/index.mjs': FLAKY_MODULE.replace("name: 'flaky'", "name: 'broken'"),
      'broken/schema.json': '{\n  "type": "object",\n  "properties": { "x": { "type": "string" }, }\n}\n',
      'wrongtype/index.mjs': FLAKY_MODULE.replace("name: 'flaky'", "name: 'wrongtype'"),
      'wrongtype/schema.json': '{\n  "type": "object",\n  "properties": {\n    "x": { "type": "strnig" }\n  }\n}\n',
    });
    const files = await writeFiles(dir.path, { 'site.yml': '- hosts: localhost\n  tasks:\n    - debug: { msg: hi }\n' });
    const result = await rackplay('run', files['site.yml']!);
    expect(result.code).toBe(4);
    const broken = join(dir.path, 'modules', 'broken', 'schema.json');
    const wrongtype = join(dir.path, 'modules', 'wrongtype', 'schema.json');
    expect(result.stderr).toMatch(new RegExp(`${broken}:3:\\d+ E_MODULE_SCHEMA ${broken} is not valid JSON`));
    expect(result.stderr).toContain(`${wrongtype}:4:20 E_MODULE_SCHEMA ${wrongtype} is not a valid JSON Schema: /properties/x/type must be equal to one of the allowed values (array, boolean, integer, null, number, object, string)`);
    expect(result.stderr).toContain('no host was contacted');
  });

  it('a folder with only index.ts says that this Node cannot load TypeScript; one without schema.json says so', async () => {
    await writeFiles(join(dir.path, 'modules'), {
      'typed/index.ts': 'export default {};\n',
      'typed/schema.json': OBJECT_SCHEMA({}),
      'noschema/index.mjs': FLAKY_MODULE.replace("name: 'flaky'", "name: 'noschema'"),
    });
    const files = await writeFiles(dir.path, { 'site.yml': '- hosts: localhost\n  tasks: []\n' });
    const result = await rackplay('validate', files['site.yml']!);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(`E_MODULE_LOAD user module 'typed' (modules/ beside the playbook): ${join(dir.path, 'modules', 'typed', 'index.ts')} is TypeScript, which Node ${process.version} cannot load: compile it to index.js`);
    expect(result.stderr).toContain(`E_MODULE_SCHEMA no schema.json in ${join(dir.path, 'modules', 'noschema')}`);
  });

  it('a user module named like a built-in is refused, with both origins, unless it declares override: true', async () => {
    const playbook = '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - copy: { dest: /nonexistent/x, content: hi }\n      register: out\n    - debug: { msg: "{{out.users_copy}}" }\n';
    const copySchema = (extra: Record<string, unknown> = {}) => OBJECT_SCHEMA({ dest: { type: 'string' }, content: { type: 'string' } }, extra);
    // One project per case: an ES module, once imported, stays loaded in this process.
    const refusedFiles = await writeFiles(join(dir.path, 'refused'), { 'site.yml': playbook, 'modules/copy/index.mjs': userCopyModule(false), 'modules/copy/schema.json': copySchema() });
    const refused = await rackplay('run', refusedFiles['site.yml']!);
    expect(refused.code).toBe(4);
    const entry = refusedFiles['modules/copy/index.mjs']!;
    expect(refused.stderr).toContain(
      `${entry}:1:1 E_MODULE_SHADOWS_BUILTIN user module 'copy' (modules/ beside the playbook): user module 'copy' (${entry}) has the name of the built-in module 'copy' (built into rackplay: modules/copy, schemas/modules/copy.json); rename it, or declare override: true`,
    );

    // Declared in the export: the user's copy runs (the built-in would fail to write /nonexistent/x).
    const byExport = await writeFiles(join(dir.path, 'by-export'), { 'site.yml': playbook, 'modules/copy/index.mjs': userCopyModule(true), 'modules/copy/schema.json': copySchema() });
    const replaced = await rackplay('run', byExport['site.yml']!, '--output', 'plain');
    expect(replaced.code, replaced.stdout + replaced.stderr).toBe(0);
    expect(replaced.stdout).toContain('"msg": "/nonexistent/x"');

    // Declared in schema.json instead; ansible.builtin.copy then means the replacement too.
    const bySchema = await writeFiles(join(dir.path, 'by-schema'), {
      'site.yml': playbook.replace('- copy:', '- ansible.builtin.copy:'),
      'modules/copy/index.mjs': userCopyModule(false),
      'modules/copy/schema.json': copySchema({ override: true }),
    });
    const schemaRun = await rackplay('run', bySchema['site.yml']!, '--output', 'plain');
    expect(schemaRun.code, schemaRun.stdout + schemaRun.stderr).toBe(0);
    expect(schemaRun.stdout).toContain('"msg": "/nonexistent/x"');

    // The next load without the folder has the built-in back, schema included.
    const elsewhere = await writeFiles(join(dir.path, 'other'), { 'site.yml': '- hosts: localhost\n  tasks:\n    - copy: { dest: /tmp/x, conten: hi }\n' });
    const builtin = await rackplay('validate', elsewhere['site.yml']!);
    expect(builtin.stderr).toContain("unknown parameter 'conten' for module copy (did you mean 'content'?)");
  });

  it('a module that throws, or plans something malformed, fails only that task on that host, naming the module; other hosts go on', async () => {
    const files = await writeFiles(dir.path, {
      'modules/flaky/index.mjs': FLAKY_MODULE,
      'modules/flaky/schema.json': FLAKY_SCHEMA,
      'hosts.ini': localInventory({ web: ['burning', 'odd', 'fine'] }),
      'site.yml': [
        '- hosts: web',
        '  gather_facts: false',
        '  tasks:',
        '    - flaky: { throw: "{{eq inventory_hostname \'burning\'}}", malformed: "{{eq inventory_hostname \'odd\'}}" }',
        '    - debug: { msg: "still going" }',
        '',
      ].join('\n'),
    });
    const result = await rackplay('run', files['site.yml']!, '-i', files['hosts.ini']!, '--output', 'plain');
    expect(result.code).toBe(2);
    const folder = join(dir.path, 'modules', 'flaky');
    expect(result.stdout).toContain(`module flaky (${folder}, modules/ beside the playbook): gather failed: the device is on fire`);
    expect(result.stdout).toContain(`module flaky (${folder}, modules/ beside the playbook): plan returned a malformed plan: changes[0].description must be a non-empty string; changes[0].kind 'exec' is not a known change kind (command, script, put)`);
    expect(recapOf(result.stdout, 'burning')).toMatchObject({ ok: 0, failed: 1 });
    expect(recapOf(result.stdout, 'odd')).toMatchObject({ ok: 0, failed: 1 });
    expect(recapOf(result.stdout, 'fine')).toMatchObject({ ok: 2, failed: 0 });
    expect(result.stdout).toMatch(/ok: \[fine\] => \{\s*"msg": "still going"/);
  });

  it('rackplay.config.yml: an unknown package is reported at its entry; a bad key too', async () => {
    const files = await writeFiles(dir.path, {
      'rackplay.config.yml': 'modules:\n  - rackplay-module-nowhere\nmodule: []\n',
      'site.yml': '- hosts: localhost\n  tasks: []\n',
    });
    const result = await rackplay('validate', files['site.yml']!);
    expect(result.code).toBe(4);
    const config = files['rackplay.config.yml']!;
    expect(result.stderr).toContain(`${config}:2:5 E_MODULE_NOT_FOUND npm package 'rackplay-module-nowhere' not found from ${dir.path}`);
    expect(result.stderr).toContain(`${config}:3:1 E_SCHEMA unknown key 'module' in rackplay.config.yml (known: modules)`);
  });

  it('a --module-path that does not exist is a load error', async () => {
    const files = await writeFiles(dir.path, { 'site.yml': '- hosts: localhost\n  tasks: []\n' });
    const result = await rackplay('validate', files['site.yml']!, '--module-path', join(dir.path, 'nope'));
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(`E_MODULE_NOT_FOUND module path ${join(dir.path, 'nope')} does not exist`);
  });
});
