import { describe, expect, it } from 'vitest';
import { parseIniValue } from '../../src/inventory/ini-values.js';

describe('INI values', () => {
  it.each([
    ['22', 22],
    ['-3', -3],
    ['1.5', 1.5],
    ['1e3', 1000],
    ['0x10', 16],
    ['0644', '0644'],
    ['1.2.3', '1.2.3'],
    ['true', true],
    ['False', false],
    ['yes', 'yes'],
    ['None', null],
    ['', ''],
    ['"22"', '22'],
    ["'true'", 'true'],
    ['"a \\"b\\""', 'a "b"'],
    ['[a, b]', ['a', 'b']],
    ["{'k': 1}", { k: 1 }],
    ['{"k":"v w"}', { k: 'v w' }],
    ['[1,"2"]', [1, '2']],
    ['[unclosed', '[unclosed'],
    ['it\\ works', 'it works'],
  ])('%s', (raw, value) => {
    expect(parseIniValue(raw)).toEqual(value);
  });
});
