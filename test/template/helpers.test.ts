import { describe, expect, test } from 'vitest';
import { TemplateError, renderString, renderValue } from '../../src/template/index.js';

const vars = {
  os: 'debian',
  port: 8080,
  port_text: '8080',
  list: ['a', 'b', 'c'],
  servers: [{ name: 'web1' }, { name: 'web2' }],
  config: { user: 'www', group: 'www' },
  empty: '',
  nothing: null,
  message: "it's here",
};

const value = (source: string, extra: Record<string, unknown> = {}) => renderValue(source, { ...vars, ...extra });

describe('comparison helpers', () => {
  test('eq and ne compare data, not identity', () => {
    expect(value("{{eq os 'debian'}}")).toBe(true);
    expect(value("{{eq os 'ubuntu'}}")).toBe(false);
    expect(value('{{eq port 8080}}')).toBe(true);
    expect(value('{{eq port_text 8080}}')).toBe(false);
    expect(value('{{eq servers other}}', { other: [{ name: 'web1' }, { name: 'web2' }] })).toBe(true);
    expect(value('{{eq config other}}', { other: { user: 'www' } })).toBe(false);
    expect(value("{{ne os 'ubuntu'}}")).toBe(true);
    expect(value('{{ne port 8080}}')).toBe(false);
  });

  test('lt gt lte gte order numbers and strings', () => {
    expect(value('{{lt port 9000}}')).toBe(true);
    expect(value('{{gt port 9000}}')).toBe(false);
    expect(value('{{lte port 8080}}')).toBe(true);
    expect(value('{{gte port 8081}}')).toBe(false);
    expect(value("{{lt 'apple' 'banana'}}")).toBe(true);
  });

  test('a numeric string compares with a number as a number (extra vars arrive as strings)', () => {
    expect(value('{{gt port_text 1024}}')).toBe(true);
    expect(value('{{lt port_text 1024}}')).toBe(false);
  });

  test('comparing unrelated types is an error', () => {
    expect(() => value('{{lt list 3}}')).toThrow('lt: cannot compare a list with a number');
  });
});

describe('logic helpers', () => {
  test('and / or are variadic and use Ansible truthiness', () => {
    expect(value("{{and port os 'yes'}}")).toBe(true);
    expect(value("{{and port os 'no'}}")).toBe(false);
    expect(value('{{or empty nothing 0 list}}')).toBe(true);
    expect(value("{{or empty nothing 0 'off'}}")).toBe(false);
  });

  test('not negates truthiness', () => {
    expect(value('{{not empty}}')).toBe(true);
    expect(value("{{not 'false'}}")).toBe(true);
    expect(value('{{not list}}')).toBe(false);
    expect(value("{{not (eq os 'debian')}}")).toBe(false);
  });
});

describe('default', () => {
  test('returns the value when it is defined and not null', () => {
    expect(value('{{default port 1}}')).toBe(8080);
    expect(value("{{default empty 'x'}}")).toBe('');
  });

  test('returns the fallback for an undefined variable, even under strict mode', () => {
    expect(value('{{default missing 8080}}')).toBe(8080);
    expect(value("{{default missing.deeply.nested 'x'}}")).toBe('x');
    expect(value("{{default config.missing 'x'}}")).toBe('x');
    expect(renderString('port={{default missing 80}}', vars)).toBe('port=80');
  });

  test('returns the fallback for null', () => {
    expect(value("{{default nothing 'fallback'}}")).toBe('fallback');
  });

  test('the fallback itself is read strictly', () => {
    expect(() => value('{{default missing also_missing}}')).toThrow("undefined variable 'also_missing'");
  });

  test('only the first argument of default is optional, not variables in other helpers', () => {
    expect(() => value('{{eq missing 1}}')).toThrow("undefined variable 'missing'");
  });

  test('works inside sub-expressions and block helpers', () => {
    expect(value('{{eq (default missing 3) 3}}')).toBe(true);
    expect(renderString('{{#if (default missing false)}}yes{{else}}no{{/if}}', vars)).toBe('no');
  });

  test('needs a fallback', () => {
    expect(() => value('{{default missing}}')).toThrow('default takes 2 arguments, got 1');
  });
});

describe('defined', () => {
  test('tells whether a variable exists, without failing', () => {
    expect(value('{{defined port}}')).toBe(true);
    expect(value('{{defined nothing}}')).toBe(true);
    expect(value('{{defined missing}}')).toBe(false);
    expect(value('{{defined config.missing}}')).toBe(false);
  });
});

describe('data helpers', () => {
  test('json stringifies, optionally indented', () => {
    expect(value('{{json config}}')).toBe('{"user":"www","group":"www"}');
    expect(value('{{json list 2}}')).toBe('[\n  "a",\n  "b",\n  "c"\n]');
    expect(value('{{json os}}')).toBe('"debian"');
    expect(value('{{json nothing}}')).toBe('null');
  });

  test('join joins a list, with "," by default', () => {
    expect(value('{{join list ", "}}')).toBe('a, b, c');
    expect(value('{{join list}}')).toBe('a,b,c');
    expect(() => value('{{join os ","}}')).toThrow('join: expects a list, got a string');
  });

  test('includes looks into lists, strings and object keys', () => {
    expect(value("{{includes list 'b'}}")).toBe(true);
    expect(value("{{includes list 'z'}}")).toBe(false);
    expect(value("{{includes servers other}}", { other: { name: 'web2' } })).toBe(true);
    expect(value("{{includes os 'deb'}}")).toBe(true);
    expect(value("{{includes os 'rpm'}}")).toBe(false);
    expect(value("{{includes config 'user'}}")).toBe(true);
    expect(() => value('{{includes port 8}}')).toThrow('includes: expects a list, string or object, got a number');
  });

  test('length counts list items, string characters and object keys', () => {
    expect(value('{{length list}}')).toBe(3);
    expect(value('{{length os}}')).toBe(6);
    expect(value('{{length config}}')).toBe(2);
    expect(() => value('{{length port}}')).toThrow('length: expects a list, string or object, got a number');
  });

  test('regex_match tests a regular expression anywhere in the string', () => {
    expect(value('{{regex_match os "^deb"}}')).toBe(true);
    expect(value('{{regex_match os "^ubu"}}')).toBe(false);
    expect(value('{{regex_match os "BIAN"}}')).toBe(false);
    expect(value('{{regex_match os "BIAN" "i"}}')).toBe(true);
    expect(value('{{regex_match port "^80"}}')).toBe(true);
  });

  test('regex_match with the g flag gives the same answer every time', () => {
    expect([1, 2, 3].map(() => value('{{regex_match os "deb" "g"}}'))).toEqual([true, true, true]);
  });

  test('regex_match reports an invalid pattern', () => {
    expect(() => value('{{regex_match os "("}}')).toThrow(TemplateError);
    expect(() => value('{{regex_match os "("}}')).toThrow(/^regex_match: Invalid regular expression/);
  });

  test('quote quotes for a POSIX shell', () => {
    expect(value('{{quote message}}')).toBe(`'it'\\''s here'`);
    expect(value("{{quote 'safe/path-1.2_x@y%z+w=v:u,t'}}")).toBe('safe/path-1.2_x@y%z+w=v:u,t');
    expect(value("{{quote ''}}")).toBe("''");
    expect(value("{{quote 'a b'}}")).toBe("'a b'");
    expect(value("{{quote '$HOME'}}")).toBe("'$HOME'");
    expect(value('{{quote port}}')).toBe('8080');
    expect(value('{{quote items}}', { items: ['a b', 'c'] })).toBe("'a b' c");
    expect(() => value('{{quote config}}')).toThrow('quote: cannot quote an object');
  });
});

describe('helper errors', () => {
  test('a wrong argument count names the helper and the position', () => {
    const error = (() => {
      try {
        value('x {{eq os}}');
      } catch (caught) {
        return caught as TemplateError;
      }
      throw new Error('expected an error');
    })();
    expect(error).toBeInstanceOf(TemplateError);
    expect(error.code).toBe('E_TEMPLATE');
    expect(error.message).toBe('eq takes 2 arguments, got 1');
    expect([error.line, error.column]).toEqual([1, 3]);
  });

  test('internal helpers cannot be called from templates', () => {
    expect(() => value('{{__rackplay_var this "" "os"}}')).toThrow("unknown helper '__rackplay_var'");
  });
});
