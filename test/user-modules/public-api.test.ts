import { execFile } from 'node:child_process';
import { mkdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recapOf, tempDir } from '../helpers/cli.js';
import { writeFiles } from '../helpers/playbook.js';
import { buildPackageInto, projectWithRackplay, repoRoot } from './built-package.js';
import { FLAKY_MODULE, FLAKY_SCHEMA } from './user-module-files.js';

const exec = promisify(execFile);

/** A module written against the public types, as a user would in TypeScript. */
const TYPED_CONSUMER = `import { applyPlan, defineModule, quote, quoteArgv, UnreachableError } from 'rackplay';
import type { Change, Connection, ModuleContext, Plan, RunResult } from 'rackplay';

interface Params { readonly name: string; readonly value: string }
interface State { readonly live: string }

export const describeConnection = (connection: Connection): string => connection.kind;
export const unreachable = new UnreachableError('gone');

export default defineModule<Params, State>({
  name: 'typed',
  meta: { checkMode: 'full', diff: true, idempotent: true, platforms: ['linux'], returns: {} },
  async gather(ctx: ModuleContext, params) {
    const result: RunResult = await ctx.run(['sysctl', '-n', params.name]);
    return { live: result.stdout.trim() };
  },
  plan(params, state): Plan {
    const change: Change = { kind: 'command', argv: ['sysctl', '-w', \`\${params.name}=\${params.value}\`], description: quoteArgv(['sysctl', quote(params.value)]) };
    return { changes: state.live === params.value ? [] : [change], diff: { before: state.live, after: params.value } };
  },
  apply: (ctx, plan) => applyPlan(ctx, plan),
});
`;

describe('the public API, from the built package', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let built: string;
  let buildMs = 0;
  beforeAll(async () => {
    dir = await tempDir('rackplay-public-api-');
    built = join(dir.path, 'package');
    buildMs = buildPackageInto(built);
    await projectWithRackplay(dir.path, built);
  }, 180_000);
  afterAll(async () => {
    await dir?.cleanup();
  });

  it("is what `import ... from 'rackplay'` gives a user's project under plain Node", async () => {
    const script = `import * as api from 'rackplay';
const definition = { name: 'x', gather: async () => ({}), plan: () => ({ changes: [] }) };
console.log(JSON.stringify({ names: Object.keys(api).sort(), identity: api.defineModule(definition) === definition, quoted: api.quote("it's"), argv: api.quoteArgv(['a b', 'c']) }));`;
    const { stdout } = await exec(process.execPath, ['--input-type=module', '-e', script], { cwd: dir.path });
    const result = JSON.parse(stdout) as { names: string[]; identity: boolean; quoted: string; argv: string };
    expect(result.names).toEqual(['ChangeFailedError', 'CommandTimeoutError', 'UnreachableError', 'applyChange', 'applyPlan', 'defineModule', 'quote', 'quoteArgv']);
    expect(result.identity).toBe(true);
    expect(result.quoted).toBe(`'it'\\''s'`);
    expect(result.argv).toBe(`'a b' c`);
    console.log(`npm run build (tsc, validators, bundle): ${Math.round(buildMs)} ms`);
  });

  it('ships type declarations: a TypeScript module compiles against them, and a wrong change kind does not', async () => {
    await mkdir(join(dir.path, 'node_modules', '@types'), { recursive: true });
    await symlink(join(repoRoot, 'node_modules', '@types', 'node'), join(dir.path, 'node_modules', '@types', 'node'), 'dir');
    // skipLibCheck off: the package's own .d.ts files are checked too.
    const tsconfig = { compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] }, include: ['*.ts'] };
    await writeFiles(dir.path, { 'tsconfig.json': JSON.stringify(tsconfig), 'package.json': '{ "type": "module", "private": true }', 'typed.ts': TYPED_CONSUMER });
    const tsc = join(repoRoot, 'node_modules', '.bin', 'tsc');
    const good = await exec(tsc, ['-p', dir.path]).then(() => ({ code: 0, stdout: '' }), (error: { code: number; stdout: string }) => error);
    expect(good.stdout).toBe('');
    expect(good.code).toBe(0);

    await writeFiles(dir.path, { 'typed.ts': TYPED_CONSUMER.replace("kind: 'command'", "kind: 'exec'") });
    const bad = await exec(tsc, ['-p', dir.path]).then(() => ({ code: 0, stdout: '' }), (error: { code: number; stdout: string }) => error);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toMatch(/typed\.ts\(18,\d+\): error TS2322: Type '"exec"' is not assignable to type '.*"command".*'/);
  }, 60_000);

  it('the package manifest points at the declarations, and npm pack ships them', async () => {
    const { stdout } = await exec('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: built });
    const [packed] = JSON.parse(stdout) as { files: { path: string }[] }[];
    const paths = packed!.files.map((file) => file.path);
    expect(paths).toContain('dist/src/index.js');
    expect(paths).toContain('dist/src/index.d.ts');
    expect(paths).toContain('dist/src/module/contract.d.ts');
    expect(paths).toContain('bin/rackplay.js');
    const manifest = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { types?: string; exports?: Record<string, { types?: string }> };
    expect(manifest.types).toBe('./dist/src/index.d.ts');
    expect(manifest.exports?.['.']?.types).toBe('./dist/src/index.d.ts');
  }, 60_000);

  it('the built CLI (bin/rackplay.js) loads user modules and fails only the broken task', async () => {
    const files = await writeFiles(dir.path, {
      'modules/flaky/index.mjs': FLAKY_MODULE,
      'modules/flaky/schema.json': FLAKY_SCHEMA,
      'site.yml': '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - flaky: {}\n    - flaky: { throw: true }\n',
    });
    const result = await exec(process.execPath, [join(built, 'bin', 'rackplay.js'), 'run', files['site.yml']!, '--output', 'plain']).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => error,
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/TASK \[flaky\] \*+\nok: \[localhost\]/);
    expect(recapOf(result.stdout, 'localhost')).toMatchObject({ ok: 1, failed: 1 });
    expect(result.stdout).toContain(`module flaky (${join(dir.path, 'modules', 'flaky')}, modules/ beside the playbook): gather failed: the device is on fire`);
  }, 60_000);
});
