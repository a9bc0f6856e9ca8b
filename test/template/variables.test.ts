import { describe, expect, test } from 'vitest';
import { TemplateError, templateVariables } from '../../src/template/index.js';

describe('templateVariables', () => {
  test('returns root names, once each, in order of appearance', () => {
    expect(templateVariables('{{a.b.c}} {{x}} {{a.d}} {{y.[0]}}')).toEqual(['a', 'x', 'y']);
  });

  test('reads helper arguments and hash values but not helper names', () => {
    expect(templateVariables("{{eq os 'debian'}} {{json (join list sep) indent=width}} {{length}}")).toEqual(['os', 'list', 'sep', 'width']);
  });

  test("skips the first argument of default and defined, not the fallback", () => {
    expect(templateVariables('{{default port fallback}} {{defined maybe.deep}}')).toEqual(['fallback']);
    expect(templateVariables('{{default (lookup table key) 1}}')).toEqual(['table', 'key']);
  });

  test('skips this, @data and literals', () => {
    expect(templateVariables('{{this}} {{.}} {{@index}} {{@root.r}} {{"str"}} {{42}} {{true}}')).toEqual([]);
    expect(templateVariables('{{this.t}} {{./u}}')).toEqual(['t', 'u']);
  });

  test('skips names that resolve against an #each or #with context', () => {
    expect(templateVariables('{{#each servers}}{{name}} {{this.port}}{{/each}}')).toEqual(['servers']);
    expect(templateVariables('{{#with config}}{{user}}{{/with}}')).toEqual(['config']);
    expect(templateVariables('{{#each a}}{{#each b}}{{c}}{{/each}}{{/each}}')).toEqual(['a']);
  });

  test('counts parent paths that reach the variables again', () => {
    expect(templateVariables('{{#each servers}}{{../domain}}{{/each}}')).toEqual(['servers', 'domain']);
    expect(templateVariables('{{#each a}}{{#each b}}{{../c}} {{../../d}}{{/each}}{{/each}}')).toEqual(['a', 'd']);
  });

  test('#if and #unless keep the context, and else branches run in the outer context', () => {
    expect(templateVariables('{{#if on}}{{x}}{{else}}{{y}}{{/if}}')).toEqual(['on', 'x', 'y']);
    expect(templateVariables('{{#each list}}{{item}}{{else}}{{empty_message}}{{/each}}')).toEqual(['list', 'empty_message']);
  });

  test('skips block params, however deeply nested', () => {
    expect(templateVariables('{{#each servers as |server i|}}{{server.name}}{{i}}{{#if server.up}}{{server.ip}}{{/if}}{{/each}}')).toEqual(['servers']);
    expect(templateVariables('{{#each servers as |s|}}{{#each s.ports as |p|}}{{p}}{{s}}{{/each}}{{/each}}')).toEqual(['servers']);
    expect(templateVariables('{{#with config as |c|}}{{c.user}}{{/with}}')).toEqual(['config']);
  });

  test('a block param shadows a helper of the same name', () => {
    expect(templateVariables('{{#each items as |json|}}{{json.a}}{{/each}}')).toEqual(['items']);
  });

  test('reads bare conditions when asked', () => {
    expect(templateVariables("eq os 'debian'", { bare: true })).toEqual(['os']);
    expect(templateVariables('not (eq result.rc 0)', { bare: true })).toEqual(['result']);
    expect(templateVariables('is_debian', { bare: true })).toEqual(['is_debian']);
    expect(templateVariables('no', { bare: true })).toEqual([]);
    expect(templateVariables('{{x}} and text', { bare: true })).toEqual(['x']);
  });

  test('throws E_TEMPLATE_SYNTAX with a position on bad syntax', () => {
    try {
      templateVariables('ok\n{{#if x}}{{/each}}');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TemplateError);
      expect((error as TemplateError).code).toBe('E_TEMPLATE_SYNTAX');
      expect([(error as TemplateError).line, (error as TemplateError).column]).toEqual([2, 4]);
    }
  });

  test('positions in bare conditions refer to the condition as written', () => {
    try {
      templateVariables('eq a (', { bare: true });
      expect.unreachable();
    } catch (error) {
      expect((error as TemplateError).code).toBe('E_TEMPLATE_SYNTAX');
      expect((error as TemplateError).line).toBe(1);
      expect((error as TemplateError).column).toBeLessThanOrEqual('eq a ('.length + 1);
    }
  });

  test('rejects unknown helpers', () => {
    expect(() => templateVariables('{{frob x}}')).toThrow("unknown helper 'frob'");
    expect(() => templateVariables('{{#frob x}}{{/frob}}')).toThrow("unknown helper 'frob'");
  });
});
