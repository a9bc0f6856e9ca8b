import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_SOURCE_BYTES } from '../../src/load/source-text.js';
import { rackplay, tempDir } from '../helpers/cli.js';
import { writeFiles } from '../helpers/playbook.js';
import { vaultText } from '../vault/fixtures.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => (dir = await tempDir()));
afterEach(async () => dir.cleanup());

/** Validates (never runs) a playbook written to the temp dir; returns the CLI result and the file. */
async function validate(text: string, extra: string[] = []) {
  const files = await writeFiles(dir.path, { 'site.yml': text });
  const file = files['site.yml']!;
  return { ...(await rackplay('validate', file, ...extra)), file };
}

/** Every problem line of stderr must start with file:line:col and a code. */
function problemLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => /^\S+:\d+:\d+ E_[A-Z_]+ /.test(line));
}

const play = (vars: string, tasks = '    - debug: { msg: hi }') => `- hosts: localhost\n  gather_facts: false\n  vars:\n${vars}\n  tasks:\n${tasks}\n`;

describe('hostile YAML ends with exit 4 and a position, never a stack trace', () => {
  it('a billion-laughs alias bomb is E_YAML_ALIAS at the first alias', async () => {
    const levels = ['    a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [index, name] of ['b', 'c', 'd', 'e', 'f', 'g'].entries()) {
      const previous = String.fromCharCode('a'.charCodeAt(0) + index);
      levels.push(`    ${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const run = await validate(play(levels.join('\n')));
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(`${run.file}:5:12 E_YAML_ALIAS aliases expand to too many nodes`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('an alias with no anchor is E_YAML_ALIAS naming it', async () => {
    const run = await validate(play('    a: *nope'));
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(`${run.file}:4:8 E_YAML_ALIAS alias *nope has no anchor &nope before it`);
  });

  it.each([150, 5000])('%i levels of nesting are E_YAML_DEPTH', async (depth) => {
    const run = await validate(play(`    x: ${'['.repeat(depth)}${']'.repeat(depth)}`));
    expect(run.code).toBe(4);
    expect(problemLines(run.stderr)).toEqual([expect.stringMatching(new RegExp(`^${run.file}:4:\\d+ E_YAML_DEPTH nested more than 100 levels deep$`))]);
  });

  it('an unknown tag is an error at its position, not an empty string', async () => {
    const run = await validate(play('    db_password: !Sup3rSecret'));
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(`${run.file}:4:18 E_YAML_TAG unknown YAML tag !Sup3rSecret`);
  });

  it('a 50,000-key mapping is checked in linear time, and its one duplicate found', async () => {
    const keys = Array.from({ length: 50_000 }, (_, index) => `    k${index}: ${index}`);
    keys.push('    k17: again');
    const started = performance.now();
    const run = await validate(play(keys.join('\n')));
    const seconds = (performance.now() - started) / 1000;
    expect(run.code).toBe(4);
    expect(problemLines(run.stderr)).toEqual([`${run.file}:50004:5 E_DUPLICATE_KEY duplicate key 'k17'`]);
    // The quadratic check this replaced took 14-17 s here; the bound is loose for a shared machine.
    expect(seconds).toBeLessThan(6);
  });

  it(`a file over ${MAX_SOURCE_BYTES / 1024 / 1024} MiB is refused before it is parsed`, async () => {
    const file = join(dir.path, 'huge.yml');
    await writeFile(file, `- hosts: localhost\n  vars:\n    pad: "${'x'.repeat(MAX_SOURCE_BYTES)}"\n  tasks: []\n`);
    const run = await rackplay('validate', file);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(`${file}:1:1 E_FILE_TOO_LARGE larger than 8 MiB`);
  });

  it('include_vars of a device is refused: /dev/urandom never ends', async () => {
    const run = await validate(play('    a: 1', '    - include_vars: /dev/urandom'));
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(new RegExp(`${run.file}:6:\\d+ E_FILE_NOT_REGULAR not a regular file .*: /dev/urandom`));
  });

  it('a host range of 100 million hosts is refused, naming the range', async () => {
    const files = await writeFiles(dir.path, { 'hosts.ini': '[web]\nh[0:99999999]\n', 'site.yml': play('    a: 1') });
    const run = await rackplay('validate', files['site.yml']!, '-i', files['hosts.ini']!);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(`${files['hosts.ini']}:2:1 E_HOST_RANGE host range 'h[0:99999999]' expands to more than 100000 hosts`);
  });

  it('100 KB of random bytes prints a bounded report', async () => {
    const bytes = Buffer.alloc(100_000);
    let seed = 12345;
    for (let index = 0; index < bytes.length; index++) bytes[index] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    const file = join(dir.path, 'random.yml');
    await writeFile(file, bytes);
    const run = await rackplay('validate', file);
    expect(run.code).toBe(4);
    expect(run.stderr.length).toBeLessThan(20_000);
    expect(problemLines(run.stderr).length).toBeGreaterThan(0);
    for (const line of run.stderr.trimEnd().split('\n')) expect(line.length).toBeLessThan(300);
  });

  it('stops listing after 50 problems and counts the rest', async () => {
    const tasks = Array.from({ length: 120 }, (_, index) => `    - no_such_module_${index}: {}`).join('\n');
    const run = await validate(play('    a: 1', tasks));
    expect(run.code).toBe(4);
    expect(problemLines(run.stderr)).toHaveLength(50);
    expect(run.stderr).toContain('… and 70 more problems not shown.');
    expect(run.stderr).toContain('120 problems found; no host was contacted.');
  });
});

describe('vaulted files never leak their plaintext in an error', () => {
  it('a vaulted value starting with * (a YAML alias) is E_YAML_ALIAS without the text', async () => {
    const secret = '*Sup3r-S3cret-pw';
    const files = await writeFiles(dir.path, {
      'pw.txt': 'vault-pass\n',
      'secrets.yml': vaultText(`db_password: ${secret}\n`, 'vault-pass'),
      'site.yml': '- hosts: localhost\n  gather_facts: false\n  vars_files: [secrets.yml]\n  tasks: []\n',
    });
    const run = await rackplay('validate', files['site.yml']!, '--vault-password-file', files['pw.txt']!);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(`${files['secrets.yml']}:1:14 E_YAML_ALIAS alias to an undefined anchor`);
    expect(run.stderr + run.stdout).not.toContain('Sup3r');
  });

  it('a syntax error inside vaulted text does not quote the text', async () => {
    const files = await writeFiles(dir.path, {
      'pw.txt': 'vault-pass\n',
      'secrets.yml': vaultText('db_password: "Sup3r-S3cret\nother: [\n', 'vault-pass'),
      'site.yml': '- hosts: localhost\n  gather_facts: false\n  vars_files: [secrets.yml]\n  tasks: []\n',
    });
    const run = await rackplay('validate', files['site.yml']!, '--vault-password-file', files['pw.txt']!);
    expect(run.code).toBe(4);
    expect(problemLines(run.stderr).length).toBeGreaterThan(0);
    expect(run.stderr + run.stdout).not.toContain('Sup3r');
  });
});

describe('idioms that used to crash or misbehave', () => {
  it('loop: [] skips the task', async () => {
    const files = await writeFiles(dir.path, { 'site.yml': '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug: { msg: "{{item}}" }\n      loop: []\n' });
    const run = await rackplay('run', files['site.yml']!, '--output', 'json');
    expect(run.code).toBe(0);
    const result = run.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>).find((event) => event.type === 'host_result');
    expect(result).toMatchObject({ status: 'skipped', result: { skipped: true, skipped_reason: 'No items in the list', results: [] } });
  });

  it('environment: "{{proxy_env}}" takes a mapping from a variable, merged over the play\'s', async () => {
    const files = await writeFiles(dir.path, {
      'site.yml': `- hosts: localhost
  gather_facts: false
  environment: { FROM_PLAY: play, HTTP_PROXY: overridden }
  vars:
    proxy_env: { HTTP_PROXY: "http://127.0.0.1:3128", NO_PROXY: "localhost" }
  tasks:
    - command: sh -c 'echo "$HTTP_PROXY $NO_PROXY $FROM_PLAY"'
      environment: "{{proxy_env}}"
      register: out
    - assert: { that: ["eq out.stdout 'http://127.0.0.1:3128 localhost play'"] }
`,
    });
    const run = await rackplay('run', files['site.yml']!, '--output', 'plain');
    expect(run.stdout).toMatch(/localhost\s+: ok=2 /);
    expect(run.code).toBe(0);
  });

  it('an environment template that renders to a string fails the task, naming it', async () => {
    const files = await writeFiles(dir.path, {
      'site.yml': '- hosts: localhost\n  gather_facts: false\n  vars: { proxy_env: "not a mapping" }\n  tasks:\n    - command: "true"\n      environment: "{{proxy_env}}"\n',
    });
    const run = await rackplay('run', files['site.yml']!, '--output', 'plain');
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('environment must be a mapping of variable names to values; {{proxy_env}} rendered to a string');
  });

  it('environment names are checked: a key like -S cannot become an option of anything', async () => {
    const run = await validate(play('    a: 1', '    - command: "true"\n      environment: { "-S": "touch /tmp/x" }'));
    expect(run.code).toBe(4);
    expect(problemLines(run.stderr)).toEqual([`${run.file}:7:22 E_INVALID_PARAM keyword 'environment' of task: '-S' is not a valid environment variable name (letters, digits and _, not starting with a digit)`]);
  });
});
