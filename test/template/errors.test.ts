import { describe, expect, test } from 'vitest';
import { TemplateError, renderString, renderValue, templateVariables } from '../../src/template/index.js';

function failure(run: () => unknown): TemplateError {
  try {
    run();
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('expected a TemplateError');
}

const vars = { server: { name: 'web1', tags: [] as string[] }, items: [{ name: 'a' }, { other: 1 }], os: 'debian' };

describe('undefined variables', () => {
  test('name the variable, with a readable message and its position', () => {
    const error = failure(() => renderString('listen {{http_port}}', vars));
    expect(error.code).toBe('E_UNDEFINED_VARIABLE');
    expect(error.variable).toBe('http_port');
    expect(error.message).toBe("undefined variable 'http_port'");
    expect([error.line, error.column]).toEqual([1, 10]);
  });

  test('name the dotted path up to the first missing part', () => {
    expect(failure(() => renderString('{{server.port}}', vars)).variable).toBe('server.port');
    expect(failure(() => renderString('{{server.port.number}}', vars)).variable).toBe('server.port');
    expect(failure(() => renderString('{{missing.a.b}}', vars)).variable).toBe('missing');
    expect(failure(() => renderString('{{server.tags.[0]}}', vars)).variable).toBe('server.tags.0');
  });

  test('are reported on later lines with their line and column', () => {
    const error = failure(() => renderString('first line\n  second {{nope}}', vars));
    expect([error.line, error.column]).toEqual([2, 12]);
  });

  test('are strict in helper arguments, hash values and block helpers too', () => {
    expect(failure(() => renderValue("{{eq missing 'x'}}", vars)).variable).toBe('missing');
    expect(failure(() => renderValue('{{json (default os missing)}}', vars)).variable).toBe('missing');
    expect(failure(() => renderString('{{#if missing}}x{{/if}}', vars)).variable).toBe('missing');
    expect(failure(() => renderString('{{#each missing}}x{{/each}}', vars)).variable).toBe('missing');
    expect(failure(() => renderString('{{#each items}}{{name}}{{/each}}', vars)).variable).toBe('name');
  });

  test('through block params and parent contexts', () => {
    expect(failure(() => renderString('{{#each items as |item|}}{{item.name}}{{/each}}', vars)).variable).toBe('item.name');
    expect(failure(() => renderString('{{#with server}}{{../nope}}{{/with}}', vars)).variable).toBe('../nope');
    expect(failure(() => renderString('{{@root.nope}}', vars)).variable).toBe('@root.nope');
  });

  test('in a section block', () => {
    const error = failure(() => renderString('{{#nope}}x{{/nope}}', vars));
    expect(error.code).toBe('E_UNDEFINED_VARIABLE');
    expect(error.variable).toBe('nope');
  });

  test('a variable whose value is undefined counts as undefined', () => {
    expect(failure(() => renderString('{{gone}}', { gone: undefined })).variable).toBe('gone');
  });
});

describe('syntax errors', () => {
  const syntax = (source: string) => {
    const error = failure(() => templateVariables(source));
    expect(error.code).toBe('E_TEMPLATE_SYNTAX');
    return { message: error.message, at: [error.line, error.column] };
  };

  test('an unclosed mustache points at its opening braces', () => {
    expect(syntax('hello {{name')).toEqual({ message: "unclosed '{{' (expecting '}}')", at: [1, 7] });
    expect(syntax('a\nb {{ x y }')).toEqual({ message: "unclosed '{{' (expecting '}}')", at: [2, 3] });
  });

  test('an unclosed block points at the end of the template', () => {
    expect(syntax('a\n {{#if x}}')).toEqual({ message: "expecting '{{/', found the end of the template", at: [2, 11] });
  });

  test('mismatched blocks point at the opening block', () => {
    expect(syntax('x {{#if a}}{{/each}}')).toEqual({ message: "if doesn't match each", at: [1, 6] });
  });

  test('a stray token is placed precisely, even far into a long template', () => {
    const prefix = 'some long text that is longer than twenty characters\n and more ';
    const result = syntax(`${prefix}{{eq a ) b}}`);
    expect(result.at).toEqual([2, 18]);
    expect(result.message).toBe("')' is not allowed here");
  });

  test('render reports syntax errors the same way', () => {
    const error = failure(() => renderString('{{#if}}', vars));
    expect(error.code).toBe('E_TEMPLATE_SYNTAX');
  });
});

describe('other template errors', () => {
  test('an unknown helper is reported before anything renders', () => {
    const error = failure(() => renderString('x {{frobnicate os}}', vars));
    expect(error.code).toBe('E_TEMPLATE');
    expect(error.message).toBe("unknown helper 'frobnicate'");
    expect([error.line, error.column]).toEqual([1, 5]);
  });

  test('errors thrown while reading a variable become TemplateErrors', () => {
    const scope = {
      get broken(): unknown {
        throw new Error("variable 'broken' refers to itself");
      },
    };
    const error = failure(() => renderString('{{broken}}', scope));
    expect(error.code).toBe('E_TEMPLATE');
    expect(error.message).toBe("variable 'broken' refers to itself");
  });

  test('TemplateErrors from nested renders pass through unchanged', () => {
    const scope: Record<string, unknown> = {};
    Object.defineProperty(scope, 'lazy', { get: () => renderValue('{{inner_missing}}', scope), enumerable: true });
    const error = failure(() => renderValue('{{lazy}}', scope));
    expect(error.variable).toBe('inner_missing');
  });

  test('a missing partial is a template error', () => {
    expect(failure(() => renderString('{{> nope}}', vars)).code).toBe('E_TEMPLATE');
  });
});
