import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { builtinModules, moduleSchema } from '../../src/module/registry.js';
import { packageRoot } from '../../src/paths.js';

const moduleFolders = readdirSync(join(packageRoot, 'modules'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const schemaFiles = readdirSync(join(packageRoot, 'schemas', 'modules'))
  .map((name) => name.replace(/\.json$/, ''))
  .sort();
const playbookSchema = JSON.parse(readFileSync(join(packageRoot, 'schemas', 'playbook.schema.json'), 'utf8')) as {
  definitions: { task: { properties: Record<string, unknown> }; taskKeywords: { properties: Record<string, unknown> } };
};

describe('module registry = folders = schemas', () => {
  it('registers every folder under modules/, and nothing else', () => {
    expect([...builtinModules.keys()].sort()).toEqual(moduleFolders);
  });

  it('has one parameter schema per module', () => {
    expect(schemaFiles).toEqual(moduleFolders);
  });

  it('the playbook schema offers every module (and the ansible.builtin names of Ansible\'s own) to editors', () => {
    const taskProperties = Object.keys(playbookSchema.definitions.task.properties);
    const keywords = Object.keys(playbookSchema.definitions.taskKeywords.properties);
    const statements = ['import_tasks', 'import_role', 'include_role', 'ansible.builtin.import_role', 'ansible.builtin.include_role'];
    const moduleKeys = taskProperties.filter((key) => !keywords.includes(key) && !statements.includes(key));
    expect(moduleKeys.filter((key) => !key.startsWith('ansible.builtin.')).sort()).toEqual(moduleFolders);
    // ansible.builtin names exist only for modules Ansible has; rackplay's own (ipvs_service, lxc_container…) have none.
    const ansibleNames = moduleKeys.filter((key) => key.startsWith('ansible.builtin.')).map((key) => key.slice('ansible.builtin.'.length));
    expect(ansibleNames.length).toBeGreaterThan(0);
    expect(moduleFolders).toEqual(expect.arrayContaining(ansibleNames));
  });

  it.each(moduleFolders)('%s: schema is documented and its examples validate', (name) => {
    const schema = moduleSchema(name) as { description?: string; examples?: unknown[]; properties?: Record<string, { description?: string }> };
    expect(schema.description, `${name} has a description`).toBeTruthy();
    expect(schema.examples?.length, `${name} has examples`).toBeGreaterThan(0);
    for (const [param, spec] of Object.entries(schema.properties ?? {})) expect(spec.description, `${name}.${param} is described`).toBeTruthy();
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    for (const example of schema.examples ?? []) expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(moduleFolders)('%s: meta is complete', (name) => {
    const module = builtinModules.get(name)!;
    expect(module.name).toBe(name);
    expect(['full', 'partial']).toContain(module.meta.checkMode);
    expect(module.meta.platforms.length).toBeGreaterThan(0);
    expect(typeof module.plan).toBe('function');
  });
});
