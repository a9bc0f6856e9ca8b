import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { paramsTypeSource } from '../../../src/module/schema-to-type.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const schema = JSON.parse(readFileSync(join(root, 'schemas', 'modules', 'sum_bios.json'), 'utf8')) as {
  description: string;
  examples: unknown[];
  properties: Record<string, { description?: string }>;
};
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const creds = { mode: 'oob', bmc_host: '127.0.0.1', bmc_user: 'ADMIN', bmc_password: 'pw' };

describe('schemas/modules/sum_bios.json', () => {
  it('is documented, and its examples validate', () => {
    expect(schema.description).toBeTruthy();
    for (const [name, property] of Object.entries(schema.properties)) expect(property.description, name).toBeTruthy();
    for (const example of schema.examples) expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ['oob without a password', { mode: 'oob', bmc_host: 'h', bmc_user: 'u', settings: { 'A|B': 'x' } }],
    ['BMC credentials in-band', { bmc_host: 'h', settings: { 'A|B': 'x' } }],
    ['nothing to do', { ...creds }],
    ['a setting name without its menu', { ...creds, settings: { 'Quiet Boot': 'Disabled' } }],
    ['a boolean setting value', { ...creds, settings: { 'A|B': true } }],
    ['firmware without a version', { firmware: { image: '/i' } }],
    ['an unknown parameter', { ...creds, settings: { 'A|B': 'x' }, password: 'pw' }],
    ['an unknown mode', { mode: 'ipmi', settings: { 'A|B': 'x' } }],
  ])('refuses %s', (_name, params) => {
    expect(validate(params)).toBe(false);
  });

  it.each([
    ['in-band settings', { settings: { 'Advanced|Boot Feature|Quiet Boot': 'Disabled', 'Advanced|Network Stack Configuration|PXE boot wait time': 3 } }],
    ['oob firmware', { ...creds, firmware: { image: '/i', version: '4.0' }, reboot: true }],
    ['reset_to_defaults alone', { reset_to_defaults: true }],
  ])('accepts %s', (_name, params) => {
    expect(validate(params), JSON.stringify(validate.errors)).toBe(true);
  });

  it('matches modules/sum_bios/params.generated.ts', () => {
    expect(readFileSync(join(root, 'modules', 'sum_bios', 'params.generated.ts'), 'utf8')).toBe(paramsTypeSource('sum_bios', schema));
  });
});
