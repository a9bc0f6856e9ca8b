import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinModules, moduleSchema } from '../../src/module/registry.js';
import { paramsTypeSource } from '../../src/module/schema-to-type.js';
import { packageRoot } from '../../src/paths.js';

describe('params types are generated from the schemas (npm run gen:types)', () => {
  it.each([...builtinModules.keys()])('%s: params.generated.ts matches its schema', (name) => {
    const committed = readFileSync(join(packageRoot, 'modules', name, 'params.generated.ts'), 'utf8');
    expect(committed).toBe(paramsTypeSource(name, moduleSchema(name)));
  });

  it('renders enums, arrays, nested objects and required keys', () => {
    const source = paramsTypeSource('demo_mod', {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', description: 'the name' },
        state: { enum: ['present', 'absent'] },
        ports: { type: 'array', items: { type: 'integer' } },
        limits: { type: 'object', properties: { soft: { type: 'number' } }, additionalProperties: false },
        'odd-key': { anyOf: [{ type: 'string' }, { type: 'boolean' }] },
      },
    });
    expect(source).toContain('export interface DemoModParamsFromSchema {');
    expect(source).toContain('  /** the name */\n  readonly name: string;');
    expect(source).toContain('  readonly state?: "present" | "absent";');
    expect(source).toContain('  readonly ports?: readonly (number)[];');
    expect(source).toContain('  readonly limits?: {\n    readonly soft?: number;\n  };');
    expect(source).toContain('  readonly "odd-key"?: string | boolean;');
  });
});
