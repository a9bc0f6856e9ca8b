import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shlexWord, splitIniLine } from '../../src/inventory/ini-tokens.js';
import { parseIniValue } from '../../src/inventory/ini-values.js';

/** Expected values computed by Python's own shlex and ast.literal_eval (see the file's `source`). */
const { cases } = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'ini-values.json'), 'utf8')) as {
  cases: { line: 'host' | 'vars'; raw: string; value: unknown }[];
};

describe('INI values are what Ansible makes of them', () => {
  it.each(cases)('$line line: $raw', ({ line, raw, value }) => {
    // A host line is split into words first, as `k=[a, b]` gives the word `k=[a,` in Ansible too.
    const text = line === 'host' ? shlexWord(splitIniLine(`k=${raw}`).tokens[0]!.raw).slice(2) : raw;
    expect(parseIniValue(text)).toEqual(value);
  });
});
