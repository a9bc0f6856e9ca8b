import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { schemasDir } from '../../src/paths.js';
import { fixture } from './fixtures/paths.js';

describe('schemas/inventory.schema.json', () => {
  const schema = JSON.parse(readFileSync(join(schemasDir, 'inventory.schema.json'), 'utf8')) as Record<string, unknown>;

  it('is a strict draft-07 schema, so editors can use it as is', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(() => new Ajv({ strict: true }).compile(schema)).not.toThrow();
  });

  it('accepts the YAML inventories of the fixtures', () => {
    const validate = new Ajv({ allErrors: true }).compile(schema);
    for (const file of [fixture('yaml', 'hosts.yml'), fixture('precedence', 'inventory', 'hosts.yml'), fixture('folder', '02-extra.yml')]) {
      expect(validate(parse(readFileSync(file, 'utf8'))), JSON.stringify(validate.errors)).toBe(true);
    }
  });
});
