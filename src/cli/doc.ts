import { stringify } from 'yaml';
import { builtinModules, findModule, moduleSchema } from '../module/registry.js';
import { closest } from '../validate/suggest.js';

interface PropertySchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  items?: PropertySchema;
  anyOf?: PropertySchema[];
  oneOf?: PropertySchema[];
}

export function listModules(): string {
  const rows = [...builtinModules.keys()].sort().map((name) => [name, String(moduleSchema(name).description ?? '')] as const);
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, description]) => `${name.padEnd(width)}  ${description}`).join('\n');
}

/** The module's documentation, generated from its schema and meta: one source. */
export function describeModule(name: string): string | undefined {
  const module = findModule(name);
  if (module === undefined) {
    const suggestion = closest(name, builtinModules.keys());
    throw new Error(`unknown module '${name}'${suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`}`);
  }
  const schema = moduleSchema(module.name) as { description?: string; properties?: Record<string, PropertySchema>; required?: string[]; examples?: unknown[] };
  const required = new Set(schema.required ?? []);
  const lines = [`${module.name}: ${schema.description ?? ''}`, ''];
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
