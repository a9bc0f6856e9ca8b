import { describe, expect, test } from 'vitest';
import { TemplateError, evaluateCondition } from '../../src/template/index.js';

const vars = {
  os: 'debian',
  is_debian: true,
  rc: 0,
  result: { changed: true, rc: 2, stdout: 'ok' },
  flag_text: 'false',
  hosts: ['a'],
};

describe('evaluateCondition', () => {
  test('accepts booleans as they are', () => {
    expect(evaluateCondition(true, vars)).toBe(true);
    expect(evaluateCondition(false, vars)).toBe(false);
  });

  test('accepts bare expressions', () => {
    expect(evaluateCondition('is_debian', vars)).toBe(true);
    expect(evaluateCondition("eq os 'debian'", vars)).toBe(true);
    expect(evaluateCondition('not (eq rc 0)', vars)).toBe(false);
    expect(evaluateCondition('result.changed', vars)).toBe(true);
    expect(evaluateCondition('and result.changed (gt result.rc 1)', vars)).toBe(true);
    expect(evaluateCondition('  eq os "debian"  ', vars)).toBe(true);
  });

  test('accepts templates', () => {
    expect(evaluateCondition('{{is_debian}}', vars)).toBe(true);
    expect(evaluateCondition("{{eq os 'ubuntu'}}", vars)).toBe(false);
    expect(evaluateCondition('{{#if is_debian}}yes{{else}}no{{/if}}', vars)).toBe(true);
    expect(evaluateCondition('{{#if rc}}yes{{else}}no{{/if}}', vars)).toBe(false);
  });

  test('the YAML 1.1 boolean words are booleans, in any case', () => {
    for (const word of ['true', 'True', 'yes', 'YES', 'on']) expect(evaluateCondition(word, { [word]: false })).toBe(true);
    for (const word of ['false', 'False', 'no', 'NO', 'off']) expect(evaluateCondition(word, { [word]: true })).toBe(false);
  });

  test('a list is a value, not a list of conditions', () => {
    expect(evaluateCondition(['is_debian'], vars)).toBe(true);
    expect(evaluateCondition([], vars)).toBe(false);
  });

  test.each([
    ['false', false],
    ['null', null],
    ['undefined', undefined],
    ['0', 0],
    ['NaN', Number.NaN],
    ["''", ''],
    ["'false'", 'false'],
    ["'False'", 'False'],
    ["'no'", 'no'],
    ["'NO'", 'NO'],
    ["'off'", 'off'],
    ["'0'", '0'],
    ['[]', []],
    ['{}', {}],
  ])('%s is false, given directly or through a variable', (_name, falsy) => {
    expect(evaluateCondition(falsy, vars)).toBe(false);
    expect(evaluateCondition('value', { value: falsy === undefined ? null : falsy })).toBe(false);
    expect(evaluateCondition('{{value}}', { value: falsy === undefined ? null : falsy })).toBe(false);
  });

  test.each([
    ['true', true],
    ['1', 1],
    ['-1', -1],
    ["'yes'", 'yes'],
    ["'true'", 'true'],
    ["'00'", '00'],
    ["' x '", ' x '],
    ['[0]', [0]],
    ['{a: 0}', { a: 0 }],
  ])('%s is true', (_name, truthy) => {
    expect(evaluateCondition('value', { value: truthy })).toBe(true);
  });

  test('an empty condition is false', () => {
    expect(evaluateCondition('', vars)).toBe(false);
    expect(evaluateCondition('   ', vars)).toBe(false);
  });

  test('an undefined variable is an error, naming it', () => {
    expect(() => evaluateCondition('missing', vars)).toThrow(TemplateError);
    try {
      evaluateCondition("eq missing 'x'", vars);
    } catch (error) {
      expect((error as TemplateError).variable).toBe('missing');
      expect([(error as TemplateError).line, (error as TemplateError).column]).toEqual([1, 4]);
    }
  });

  test('default and defined make undefined variables explicit', () => {
    expect(evaluateCondition('default missing false', vars)).toBe(false);
    expect(evaluateCondition('not (defined missing)', vars)).toBe(true);
  });

  test('syntax errors in bare conditions are placed in the condition as written', () => {
    try {
      evaluateCondition('rc == 0', vars);
      expect.unreachable();
    } catch (error) {
      expect((error as TemplateError).code).toBe('E_TEMPLATE_SYNTAX');
      expect([(error as TemplateError).line, (error as TemplateError).column]).toEqual([1, 4]);
    }
  });
});
