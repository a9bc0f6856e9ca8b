import { spawn } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';
import { rackplay, tempDir } from '../helpers/cli.js';
import { vaultText } from '../vault/fixtures.js';

/**
 * Mutation fuzzing of what users hand rackplay: the example playbooks, roles and inventories, an INI
 * inventory and a vault file. Every run must end as a validation would: exit 0, 4 or 5, problems as
 * file:line:col lines, never a stack trace, within time and memory bounds. Only `validate` runs, so no
 * mutant can touch a host; the Serf inventory is left out because it would dial an agent.
 */

/** Deterministic: a failing mutation can be replayed from its seed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

const TOKENS = ['*', '&a ', '*a', '!', '!!str ', '!vault ', '[', ']', '{', '}', ': ', '- ', '\n', '  ', "'", '"', '{{', '}}', '{{#if x}}', '%', '\t', '\0', '<<: *a', '---\n', '...\n', '? ', '|\n', '>-\n', '#', ',', '\\', '\u00e9', '\ufeff', '[0:99999999]', 'h[a:Z]', '~', '@', '`', 'null', '~\n', '0x', '1e999', '-e', '--', 'loop: []', 'when: ', 'hosts: ', 'tasks:', 'vars:', 'environment: "{{x}}"', '$ANSIBLE_VAULT;1.1;AES256\n'];

/** Values that replace a scalar in place, so the file stays well-formed YAML and reaches the later stages. */
const VALUES = ['*a', '*undefined_anchor', '!Sup3rSecret', '!vault garbage', '[]', '{}', '~', '"{{x}}"', '"{{undefined_var}}"', '"{{#each}}"', '"{{proxy_env}}"', 'h[0:99999999]', 'web[1:3]',
  `${'['.repeat(150)}${']'.repeat(150)}`, '&a [x, x, x, x, x, x, x, x]', '[*a, *a, *a, *a, *a, *a, *a, *a, *a]', '-1', '1e999', '0o777', 'yes', '"a\\nb"', '"--reference=/etc/shadow"', '"-S sh"', "''", '"\\u0000"', '12:30:00', '2001-12-14'];

function mutate(text: string, random: () => number, donors: readonly string[]): string {
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  let out = text;
  const edits = 1 + Math.floor(random() * 2);
  for (let edit = 0; edit < edits; edit++) {
    const at = Math.floor(random() * (out.length + 1));
    const lines = out.split('\n');
    const line = Math.floor(random() * lines.length);
    switch (Math.floor(random() * 11)) {
      case 9:
      case 10: { // replace a value, keeping the structure
        const candidates = lines.map((entry, index) => (/:\s+\S/.test(entry) ? index : -1)).filter((index) => index >= 0);
        if (candidates.length === 0) break;
        const chosen = pick(candidates);
        lines[chosen] = lines[chosen]!.replace(/(:\s+).*$/, `$1${pick(VALUES)}`);
        out = lines.join('\n');
        break;
      }
      case 0: // insert a token
        out = out.slice(0, at) + pick(TOKENS) + out.slice(at);
        break;
      case 1: // delete a span
        out = out.slice(0, at) + out.slice(at + 1 + Math.floor(random() * 20));
        break;
      case 2: // flip a byte
        out = out.slice(0, at) + String.fromCharCode(Math.floor(random() * 256)) + out.slice(at + 1);
        break;
      case 3: // duplicate a line (duplicate keys, repeated tasks)
        lines.splice(line, 0, lines[line] ?? '');
        out = lines.join('\n');
        break;
      case 4: // drop a line
        lines.splice(line, 1);
        out = lines.join('\n');
        break;
      case 5: // re-indent a line
        lines[line] = (random() < 0.5 ? '  ' : '') + (lines[line] ?? '').replace(/^ {0,2}/, '');
        out = lines.join('\n');
        break;
      case 6: // truncate
        out = out.slice(0, at);
        break;
      case 7: // splice in a line of another file
        lines.splice(line, 0, pick(pick(donors).split('\n')));
        out = lines.join('\n');
        break;
      default: // nest deeply
        out = out.slice(0, at) + '['.repeat(1 + Math.floor(random() * 300)) + out.slice(at);
    }
  }
  return out;
}

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const VAULT_PASSWORD = 'fuzz-vault-pass';
const EXIT_OK_OR_INVALID = [0, 4, 5];

interface Target {
  readonly file: string;
  /** The validate argv for this target, given the (mutated) file's path. */
  readonly argv: (file: string) => string[];
}

describe('fuzz: mutated playbooks, inventories and vault files end in exit 0/4/5 with positions, never a crash', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let targets: Target[];
  let donors: string[];
  beforeAll(async () => {
    dir = await tempDir('rackplay-fuzz-');
    cpSync(join(packageRoot, 'playbooks'), join(dir.path, 'playbooks'), { recursive: true });
    const root = join(dir.path, 'playbooks');
    writeFileSync(join(root, 'hosts.ini'), readFileSync(join(packageRoot, 'test', 'inventory', 'fixtures', 'ini', 'hosts.ini')));
    writeFileSync(join(root, 'secrets.yml'), vaultText('db_password: s3cret-fuzz\nport: 5432\nlist: [a, b]\n', VAULT_PASSWORD));
    writeFileSync(join(root, 'vault-pass'), `${VAULT_PASSWORD}\n`);
    writeFileSync(join(root, 'with-vault.yml'), '- hosts: all\n  gather_facts: false\n  vars_files: [secrets.yml]\n  tasks:\n    - debug: { msg: "{{db_password}}" }\n');
    const hello = join(root, 'hello.yml');
    const vaultArgs = ['--vault-password-file', join(root, 'vault-pass')];
    const all = filesUnder(root).filter((file) => /\.(ya?ml|ini)$/.test(file) && !file.endsWith('serf.yml'));
    targets = all.map((file) => {
      const rel = relative(root, file);
      if (rel.startsWith('inventory/') || rel === 'hosts.ini') return { file, argv: (path) => ['validate', hello, '-i', path] };
      if (rel === 'secrets.yml') return { file, argv: () => ['validate', join(root, 'with-vault.yml'), '-i', join(root, 'hosts.ini'), ...vaultArgs] };
      if (rel.startsWith('roles/')) return { file, argv: () => ['validate', join(root, 'site.yml'), '-i', join(root, 'inventory', 'site.yml'), ...vaultArgs] };
      return { file, argv: (path) => ['validate', path, ...vaultArgs] };
    });
    donors = all.map((file) => readFileSync(file, 'utf8'));
  });
  afterAll(async () => dir?.cleanup());

  it('thousands of mutations in-process (bounded to ~45 s)', async () => {
    // RACKPLAY_FUZZ_SEED explores other mutations; the default keeps CI deterministic.
    const random = prng(Number(process.env.RACKPLAY_FUZZ_SEED ?? 20261204));
    const deadline = performance.now() + 45_000;
    const codes = new Map<number, number>();
    let runs = 0;
    while (performance.now() < deadline && runs < 4000) {
      const target = targets[Math.floor(random() * targets.length)]!;
      const original = readFileSync(target.file, 'utf8');
      const mutant = mutate(original, random, donors);
      writeFileSync(target.file, mutant);
      const started = performance.now();
      try {
        const run = await rackplay(...target.argv(target.file));
        const seconds = (performance.now() - started) / 1000;
        const replay = `run ${runs} on ${relative(dir.path, target.file)}:\n${mutant.slice(0, 2000)}\n--- stderr:\n${run.stderr.slice(0, 2000)}`;
        expect(EXIT_OK_OR_INVALID, replay).toContain(run.code);
        expect(run.stderr, replay).not.toMatch(/unexpected error|\n\s+at .*\(.*:\d+:\d+\)/);
        expect(run.stdout + run.stderr, replay).not.toContain('s3cret-fuzz');
        if (run.code === 4) expect(run.stderr, replay).toMatch(/^\S+:\d+:\d+ E_[A-Z_]+ /m);
        expect(seconds, replay).toBeLessThan(5);
        codes.set(run.code, (codes.get(run.code) ?? 0) + 1);
      } finally {
        writeFileSync(target.file, original);
      }
      runs++;
    }
    console.log(`fuzz: ${runs} mutations, exit codes ${JSON.stringify(Object.fromEntries(codes))}`);
    expect(runs).toBeGreaterThan(500);
    expect(codes.get(4) ?? 0).toBeGreaterThan(0);
  }, 90_000);

  it('mutations as whole processes stay under 5 s and a 300 MB heap', async () => {
    const random = prng(7);
    for (let index = 0; index < 16; index++) {
      const target = targets[Math.floor(random() * targets.length)]!;
      const original = readFileSync(target.file, 'utf8');
      const mutant = mutate(original, random, donors);
      writeFileSync(target.file, mutant);
      try {
        const { code, stderr, seconds } = await runProcess(target.argv(target.file));
        expect(EXIT_OK_OR_INVALID, `${mutant}\n${stderr}`).toContain(code);
        expect(seconds).toBeLessThan(5);
      } finally {
        writeFileSync(target.file, original);
      }
    }
  }, 120_000);
});

/** The CLI as a separate process with its heap capped at 300 MB: running out of it is a crash, not exit 0/4/5. */
function runProcess(argv: readonly string[]): Promise<{ code: number; stderr: string; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-old-space-size=300', join(packageRoot, 'bin', 'rackplay.js'), ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal === 'SIGKILL' ? 137 : 128), stderr, seconds: (performance.now() - started) / 1000 });
    });
  });
}
