import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinModules } from '../../src/module/registry.js';
import { packageRoot } from '../../src/paths.js';
import { newAjv } from '../../src/validate/ajv.js';
import { precompiledValidatorsSource } from '../../src/validate/precompile.js';
import { schemaCatalogue } from '../../src/validate/schema-catalogue.js';

// The generated file must sit inside the package so that its imports of ajv's runtime helpers resolve.
const folder = join(packageRoot, '.cache', `precompiled-test-${process.pid}`);
let generated: Record<string, ValidateFunction>;
const runtime = newAjv();

beforeAll(async () => {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'precompiled.mjs'), precompiledValidatorsSource());
  generated = ((await import(pathToFileURL(join(folder, 'precompiled.mjs')).href)) as { precompiledValidators: Record<string, ValidateFunction> }).precompiledValidators;
  for (const [key, schema] of schemaCatalogue()) runtime.addSchema(schema, key);
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Each value, then for each of its keys: the key gone, the key's value of another type; and one unknown key. */
function withMutations(values: readonly unknown[]): unknown[] {
  const out: unknown[] = [null, 'a string', 7, []];
  for (const value of values) {
    out.push(value);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    const record = value as Record<string, unknown>;
    out.push({ ...record, not_a_known_key: 1 });
    for (const key of Object.keys(record)) {
      const { [key]: _gone, ...without } = record;
      out.push(without);
      const current = record[key];
      for (const other of [42, 'text', true, ['x'], { nested: 1 }, -1, '', 'line\nbreak']) if (typeof other !== typeof current) out.push({ ...record, [key]: other });
    }
  }
  return out;
}

const playbookFiles = readdirSync(join(packageRoot, 'playbooks')).filter((name) => name.endsWith('.yml'));
const plays = playbookFiles.flatMap((name) => parse(readFileSync(join(packageRoot, 'playbooks', name), 'utf8')) as Record<string, unknown>[]);
const tasks = plays.flatMap((play) => ['pre_tasks', 'tasks', 'post_tasks', 'handlers'].flatMap((section) => (play[section] as Record<string, unknown>[] | undefined) ?? []));

function samplesFor(key: string): unknown[] {
  const schema = schemaCatalogue().get(key)!;
  if (key.startsWith('modules/')) {
    const name = key.slice('modules/'.length, -'.json'.length);
    const used = tasks.map((task) => task[name]).filter((params) => params !== undefined);
    return withMutations([...((schema.examples as unknown[] | undefined) ?? []), ...used]);
  }
  if (key === 'playbook/play') return withMutations(plays.map((play) => ({ ...play, tasks: [], handlers: [], pre_tasks: [], post_tasks: [] })));
  if (key === 'playbook/roleImport') return withMutations([{ role: 'web', vars: { a: 1 } }, { name: 'web', when: 'x' }]);
  if (key.startsWith('playbook/')) return withMutations(tasks.map((task) => Object.fromEntries(Object.entries(task).filter(([name]) => !builtinModules.has(name)))));
  if (key === 'inventory/serf') return withMutations([{ plugin: 'serf', rpc_addr: '127.0.0.1:7373', group_by_tag: ['role'] }]);
  return withMutations([{ all: { hosts: { web1: { ansible_host: '127.0.0.1' } }, children: { web: { hosts: { web1: null } } }, vars: { a: 1 } } }, { web: { hosts: { 'a b': {} } } }]);
}

describe('precompiled validators = ajv compiling the same schemas', () => {
  it('generates one validator per schema of the catalogue', () => {
    expect(Object.keys(generated).sort()).toEqual([...schemaCatalogue().keys()].sort());
  });

  it.each([...schemaCatalogue().keys()])('%s: same verdict and the same errors, schema fields included', (key) => {
    const compiled = runtime.getSchema(key)!;
    const samples = samplesFor(key);
    let invalid = 0;
    for (const sample of samples) {
      const expected = compiled(sample);
      expect(generated[key]!(sample), JSON.stringify(sample)).toBe(expected);
      expect(generated[key]!.errors ?? null).toEqual(compiled.errors ?? null);
      if (!expected) invalid++;
    }
    // The comparison only means something if the corpus exercises the failure paths.
    expect(invalid).toBeGreaterThan(3);
  });
});
