import { describe, expect, test } from 'vitest';
import { isTemplate, renderString, renderValue } from '../../src/template/index.js';

const vars = {
  http_port: 8080,
  port_text: '8080',
  os: 'debian',
  enabled: true,
  packages: ['nginx', 'curl'],
  server: { name: 'web1', ports: [80, 443] },
  nothing: null,
  out: 'a {{b}}',
};

describe('isTemplate', () => {
  test('is true exactly when the string contains {{', () => {
    expect(isTemplate('hello {{name}}')).toBe(true);
    expect(isTemplate('{{')).toBe(true);
    expect(isTemplate('hello { name }')).toBe(false);
    expect(isTemplate('')).toBe(false);
  });
});

describe('renderString', () => {
  test('renders variables, dotted paths and indexes', () => {
    expect(renderString('listen {{http_port}} on {{server.name}}', vars)).toBe('listen 8080 on web1');
    expect(renderString('{{server.ports.[1]}} {{packages.[0]}}', vars)).toBe('443 nginx');
    expect(renderString('{{packages.length}} packages', vars)).toBe('2 packages');
  });

  test('does not HTML-escape', () => {
    expect(renderString('{{value}}', { value: `<a href="x">&'` })).toBe(`<a href="x">&'`);
  });

  test('prints lists and objects inside a larger string as JSON, null as nothing', () => {
    expect(renderString('pkgs={{packages}}', vars)).toBe('pkgs=["nginx","curl"]');
    expect(renderString('server={{server}}', vars)).toBe('server={"name":"web1","ports":[80,443]}');
    expect(renderString('[{{nothing}}]', vars)).toBe('[]');
    expect(renderString('{{packages}}', vars)).toBe('["nginx","curl"]');
  });

  test('returns strings without {{ as they are', () => {
    expect(renderString('plain } text {', vars)).toBe('plain } text {');
  });

  test('never renders a value twice', () => {
    expect(renderString('{{out}}', vars)).toBe('a {{b}}');
    expect(renderString('x {{out}} y', vars)).toBe('x a {{b}} y');
  });

  test('keeps the standard block helpers working', () => {
    expect(renderString('{{#each packages}}{{@index}}:{{this}} {{/each}}', vars)).toBe('0:nginx 1:curl ');
    expect(renderString('{{#each packages as |name i|}}{{i}}={{name}};{{/each}}', vars)).toBe('0=nginx;1=curl;');
    expect(renderString('{{#with server}}{{name}}:{{ports.[0]}} {{../os}}{{/with}}', vars)).toBe('web1:80 debian');
    expect(renderString('{{#if enabled}}on{{else}}off{{/if}}', vars)).toBe('on');
    expect(renderString('{{#unless enabled}}off{{else}}on{{/unless}}', vars)).toBe('on');
    expect(renderString('{{#each server}}{{@key}}={{this}} {{/each}}', vars)).toBe('name=web1 ports=[80,443] ');
  });

  test('#if and #unless use the same truthiness as conditions', () => {
    for (const falsy of ['no', 'false', 'Off', '0', '', 0, [], {}, null]) {
      expect(renderString('{{#if value}}yes{{else}}no{{/if}}', { value: falsy })).toBe('no');
      expect(renderString('{{#unless value}}yes{{/unless}}', { value: falsy })).toBe('yes');
    }
    expect(renderString('{{#if value}}yes{{/if}}', { value: 'yes' })).toBe('yes');
  });

  test('applies whitespace control and standalone lines once', () => {
    expect(renderString('a  {{~os~}}  b', vars)).toBe('adebianb');
    expect(renderString('start\n{{#if enabled}}\n  inner\n{{/if}}\nend', vars)).toBe('start\n  inner\nend');
  });

  test('reads variables defined as getters (lazily rendered variables)', () => {
    let reads = 0;
    const lazy = {
      get greeting() {
        reads += 1;
        return 'hi';
      },
    };
    expect(renderString('{{greeting}} {{greeting}}', lazy)).toBe('hi hi');
    expect(reads).toBe(2);
  });

  test('does not reach prototype properties', () => {
    expect(() => renderString('{{server.constructor}}', vars)).toThrow("undefined variable 'server.constructor'");
    expect(() => renderString('{{os.toString}}', vars)).toThrow("undefined variable 'os.toString'");
  });
});

describe('renderValue', () => {
  test('a lone expression keeps its native type', () => {
    expect(renderValue('{{http_port}}', vars)).toBe(8080);
    expect(renderValue('{{enabled}}', vars)).toBe(true);
    expect(renderValue('{{nothing}}', vars)).toBeNull();
    expect(renderValue('{{packages}}', vars)).toBe(vars.packages);
    expect(renderValue('{{server}}', vars)).toBe(vars.server);
    expect(renderValue('{{server.ports}}', vars)).toEqual([80, 443]);
    expect(renderValue("{{eq os 'debian'}}", vars)).toBe(true);
    expect(renderValue('{{length packages}}', vars)).toBe(2);
  });

  test('a string variable stays a string even when it looks like a number', () => {
    expect(renderValue('{{port_text}}', vars)).toBe('8080');
  });

  test('surrounding whitespace still counts as a lone expression', () => {
    expect(renderValue('  {{http_port}}\n', vars)).toBe(8080);
    expect(renderValue('{{{http_port}}}', vars)).toBe(8080);
    expect(renderValue('{{~http_port~}}', vars)).toBe(8080);
  });

  test('literals in a lone expression are values', () => {
    expect(renderValue('{{true}}', vars)).toBe(true);
    expect(renderValue('{{42}}', vars)).toBe(42);
    expect(renderValue('{{null}}', vars)).toBeNull();
    expect(renderValue('{{"text"}}', vars)).toBe('text');
  });

  test('anything more than one expression renders to a string', () => {
    expect(renderValue('{{http_port}}{{http_port}}', vars)).toBe('80808080');
    expect(renderValue('port {{http_port}}', vars)).toBe('port 8080');
    expect(renderValue('{{#if enabled}}{{http_port}}{{/if}}', vars)).toBe('8080');
  });

  test('never renders a value twice', () => {
    expect(renderValue('{{out}}', vars)).toBe('a {{b}}');
  });

  test('walks lists and objects, leaving keys and non-strings alone', () => {
    const input = { '{{os}}': '{{http_port}}', list: ['{{os}}', 3, false, null, { deep: 'v{{http_port}}' }] };
    expect(renderValue(input, vars)).toEqual({ '{{os}}': 8080, list: ['debian', 3, false, null, { deep: 'v8080' }] });
    expect(input.list[0]).toBe('{{os}}');
  });

  test('returns the same value for scalars and non-plain objects', () => {
    const buffer = Buffer.from('x');
    expect(renderValue(buffer, vars)).toBe(buffer);
    expect(renderValue(5, vars)).toBe(5);
    expect(renderValue(undefined, vars)).toBeUndefined();
  });

  test('renders against the context of nested renders (lazy variables that render templates)', () => {
    const scope: Record<string, unknown> = { base: 10 };
    Object.defineProperty(scope, 'derived', { enumerable: true, get: () => renderValue('{{base}}', scope) });
    expect(renderValue('{{derived}}', scope)).toBe(10);
    expect(renderValue('{{json (default derived 0)}}', scope)).toBe('10');
  });
});

describe('plain-variable templates, rendered without Handlebars', () => {
  // A comment or whitespace control sends the same template through Handlebars: both must agree.
  const throughHandlebars = (source: string) => `${source}{{!-- force the Handlebars path --}}`;
  const outcome = (run: () => unknown) => {
    try {
      return { value: run() };
    } catch (error) {
      const { code, message, variable, line, column } = error as Record<string, unknown>;
      return { error: { code, message, variable, line, column } };
    }
  };

  test.each([
    'listen {{http_port}}',
    '{{server.name}}:{{server.ports}}',
    '[{{nothing}}] {{enabled}}',
    '{{packages.length}}',
    '{{out}}',
    'a\n  {{missing.deep}}',
    '{{server.nope}}',
  ])('%j renders as Handlebars would', (source) => {
    expect(outcome(() => renderString(source, vars))).toEqual(outcome(() => renderString(throughHandlebars(source), vars)));
  });

  test.each(['{{http_port}}', '{{packages}}', '{{nothing}}', '{{missing}}', ' {{server.name}} '])('%j has the native value Handlebars gives', (source) => {
    const stripped = source.replace('}}', '~}}');
    expect(outcome(() => renderValue(source, vars))).toEqual(outcome(() => renderValue(stripped, vars)));
  });
});
