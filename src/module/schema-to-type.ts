/**
 * Turns a module's parameter schema into a TypeScript interface, so the schema stays the single source of
 * the params type. Covers the JSON Schema subset module schemas use; anything else becomes `unknown`.
 */
interface Schema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  additionalProperties?: boolean | Schema;
  description?: string;
  $ref?: string;
}

export function paramsTypeSource(moduleName: string, schema: Schema): string {
  const name = `${pascal(moduleName)}ParamsFromSchema`;
  return [
    `// Generated from schemas/modules/${moduleName}.json by \`npm run gen:types\`; do not edit.`,
    `// A test fails when this file and the schema disagree.`,
    '',
    `export interface ${name} ${objectType(schema, '')}`,
    '',
  ].join('\n');
}

function objectType(schema: Schema, indent: string): string {
  const required = new Set(schema.required ?? []);
  const lines = Object.entries(schema.properties ?? {}).map(([key, property]) => {
    const doc = property.description ? `${indent}  /** ${property.description.replaceAll('*/', '*\\/')} */\n` : '';
    const optional = required.has(key) ? '' : '?';
    return `${doc}${indent}  readonly ${safeKey(key)}${optional}: ${typeOf(property, `${indent}  `)};`;
  });
  const extra = schema.additionalProperties;
  if (schema.properties === undefined || (extra !== undefined && extra !== false)) {
    lines.push(`${indent}  readonly [key: string]: ${extra && extra !== true ? typeOf(extra, `${indent}  `) : 'unknown'};`);
  }
  return lines.length === 0 ? '{}' : `{\n${lines.join('\n')}\n${indent}}`;
}

function typeOf(schema: Schema, indent: string): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum !== undefined) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives !== undefined) return [...new Set(alternatives.map((alternative) => typeOf(alternative, indent)))].join(' | ');
  const types = schema.type === undefined ? [] : [schema.type].flat();
  if (types.length === 0) return 'unknown';
  return types.map((type) => primitive(type, schema, indent)).join(' | ');
}

function primitive(type: string, schema: Schema, indent: string): string {
  switch (type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return `readonly (${schema.items ? typeOf(schema.items, indent) : 'unknown'})[]`;
    case 'object':
      return objectType(schema, indent);
    default:
      return 'unknown';
  }
}

function safeKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key);
}

function pascal(name: string): string {
  return name.replace(/(^|_)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
}
