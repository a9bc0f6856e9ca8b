import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { findModule, moduleNames, moduleSchema, userModule } from '../module/registry.js';
import { activateUserModules, loadUserModules, modulePathFrom } from '../module/user-modules.js';
import { EXIT } from '../run/engine.js';
import { closest } from '../validate/suggest.js';
import { DOC_HELP, UsageError } from './args.js';
import type { CliStreams } from './main.js';

interface PropertySchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  items?: PropertySchema;
  anyOf?: PropertySchema[];
  oneOf?: PropertySchema[];
}

/** `rackplay doc [MODULE]... [--playbook-dir DIR] [--module-path DIR]...`: user modules are listed beside the built-ins. */
export async function docCommand(argv: readonly string[], streams: CliStreams): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: { 'playbook-dir': { type: 'string' }, 'module-path': { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    streams.stdout.write(`${DOC_HELP}\n`);
    return EXIT.ok;
  }
  const playbookDir = values['playbook-dir'];
  const loaded = await loadUserModules({ playbookDirs: playbookDir === undefined ? [] : [resolve(playbookDir)], modulePath: modulePathFrom(values['module-path'] ?? []) });
  if (loaded.problems.length > 0) {
    for (const problem of loaded.problems) streams.stderr.write(`${problem.format()}\n`);
    return EXIT.invalid;
  }
  activateUserModules(loaded.modules);
  if (positionals.length === 0) {
    streams.stdout.write(`${listModules()}\n`);
    return EXIT.ok;
  }
  try {
    for (const name of positionals) streams.stdout.write(`${describeModule(name)}\n`);
    return EXIT.ok;
  } catch (error) {
    streams.stderr.write(`rackplay doc: ${(error as Error).message}\n`);
    return EXIT.badOptions;
  }
}

/** Every module, built-in and user, with its description; a user module also with where it comes from. */
export function listModules(): string {
  const rows = moduleNames()
    .sort()
    .map((name) => {
      const source = userModule(name)?.source;
      return [name, `${String(moduleSchema(name).description ?? '')}${source === undefined ? '' : `  [user module: ${source}]`}`] as const;
    });
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, description]) => `${name.padEnd(width)}  ${description}`).join('\n');
}

/** The module's documentation, generated from its schema and meta: one source. */
export function describeModule(name: string): string | undefined {
  const module = findModule(name);
  if (module === undefined) {
    const suggestion = closest(name, moduleNames());
    throw new Error(`unknown module '${name}'${suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`}`);
  }
  const schema = moduleSchema(module.name) as { description?: string; properties?: Record<string, PropertySchema>; required?: string[]; examples?: unknown[] };
  const required = new Set(schema.required ?? []);
  const lines = [`${module.name}: ${schema.description ?? ''}`, ''];
  const source = userModule(module.name)?.source;
  if (source !== undefined) lines.push(`USER MODULE from ${source}`, '');
  lines.push('PARAMETERS');
  for (const [param, spec] of Object.entries(schema.properties ?? {})) {
    const details = [typeName(spec), required.has(param) ? 'required' : undefined, spec.default !== undefined ? `default: ${JSON.stringify(spec.default)}` : undefined]
      .filter((part) => part !== undefined)
      .join(', ');
    lines.push(`  ${param} (${details})`);
    if (spec.description) lines.push(`      ${spec.description}`);
    if (spec.enum) lines.push(`      choices: ${spec.enum.map(String).join(', ')}`);
  }
  if (module.freeForm) lines.push('', `  Free form: \`${module.name}: TEXT\` is accepted.`);
  const meta = module.meta;
  lines.push('', 'SUPPORTS', `  check mode: ${meta.checkMode}   diff: ${meta.diff ? 'yes' : 'no'}   idempotent: ${meta.idempotent ? 'yes' : 'no'}   platforms: ${meta.platforms.join(', ')}`);
  if (Object.keys(meta.returns).length > 0) {
    lines.push('', 'RETURNS');
    for (const [key, description] of Object.entries(meta.returns)) lines.push(`  ${key}: ${description}`);
  }
  if (schema.examples && schema.examples.length > 0) {
    lines.push('', 'EXAMPLES');
    for (const example of schema.examples) {
      lines.push(...stringify([{ name: `${module.name} example`, [module.name]: example }]).trimEnd().split('\n').map((line) => `  ${line}`));
    }
  }
  return lines.join('\n');
}

function typeName(spec: PropertySchema): string {
  if (spec.type !== undefined) {
    const base = [spec.type].flat().join('|');
    return base === 'array' && spec.items?.type !== undefined ? `list of ${[spec.items.type].flat().join('|')}` : base;
  }
  const alternatives = spec.anyOf ?? spec.oneOf;
  if (alternatives) return alternatives.map(typeName).join(' or ');
  if (spec.enum) return 'choice';
  return 'any';
}
