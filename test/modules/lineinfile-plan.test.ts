import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PathState } from '../../modules/file/parse.js';
import { planLineinfile } from '../../modules/lineinfile/plan.js';
import type { LineinfileParams } from '../../modules/lineinfile/plan.js';
import { pythonRegex } from '../../modules/lineinfile/regex.js';

interface Case {
  readonly name: string;
  readonly content: string | null;
  readonly params: Omit<LineinfileParams, 'path'>;
  readonly expected: { readonly changed: boolean; readonly content: string | null; readonly msg?: string } | { readonly failed: string };
}

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'lineinfile-cases.json'), 'utf8')) as { cases: Case[] };
const path = '/srv/app/file.conf';

/** What the stat script reports for a file with this content (or for no file). */
function existing(content: string | null): PathState {
  if (content === null) return { exists: false, parentExists: true };
  const bytes = Buffer.from(content);
  const attributes = { type: 'file', mode: '0644', uid: '0', gid: '0', owner: 'root', group: 'root', size: bytes.length } as const;
  return { exists: true, self: attributes, resolved: attributes, sha256: 'irrelevant', content: bytes };
}

describe('lineinfile plan: the same edits as Ansible (outcomes captured from ansible-core)', () => {
  it.each(fixture.cases.map((testCase) => [testCase.name, testCase] as const))('%s', (_name, testCase) => {
    const plan = planLineinfile({ ...testCase.params, path }, existing(testCase.content));
    const expected = testCase.expected;
    if ('failed' in expected) {
      expect(plan.failed).toBe(expected.failed.replace('{path}', path));
      return;
    }
    expect(plan.failed).toBeUndefined();
    const put = plan.changes.find((change) => change.kind === 'put');
    expect(plan.changes.length > 0, 'changed').toBe(expected.changed);
    const after = put === undefined ? testCase.content : Buffer.from(put.content).toString('utf8');
    expect(after).toBe(expected.content);
    if (expected.msg !== undefined) expect(expected.changed ? plan.result?.msg : plan.noopReason).toBe(expected.msg);
    if (expected.changed) expect(plan.diff).toEqual({ path, before: testCase.content ?? '', after: expected.content });
  });
});

describe('lineinfile plan: checks Ansible makes on its options', () => {
  const file = existing('a\n');
  it.each([
    [{ regexp: 'a' }, 'line is required with state=present'],
    [{ line: 'x', backrefs: true }, 'regexp is required with backrefs=true'],
    [{ state: 'absent' as const }, 'one of line, search_string, or regexp is required with state=absent'],
    [{ line: 'x', regexp: 'a', search_string: 'a' }, 'regexp and search_string are mutually exclusive'],
    [{ line: 'x', insertafter: 'a', insertbefore: 'b' }, 'insertafter and insertbefore are mutually exclusive'],
  ])('%j fails: %s', (params, message) => {
    expect(planLineinfile({ ...params, path }, file).failed).toBe(message);
  });

  it('refuses a directory', () => {
    const folder = { type: 'directory', mode: '0755', uid: '0', gid: '0', owner: 'root', group: 'root', size: 4096 } as const;
    expect(planLineinfile({ path, line: 'x' }, { exists: true, self: folder, resolved: folder }).failed).toBe(`Path ${path} is a directory !`);
  });

  it('does not create a file that would stay empty (backrefs without a match), even with a mode', () => {
    const plan = planLineinfile({ path, regexp: '^(x)', line: '\\1', backrefs: true, create: true, mode: '0600' }, { exists: false, parentExists: true });
    expect(plan.changes).toEqual([]);
  });

  it('creates the missing folder of a new file with create=true', () => {
    const plan = planLineinfile({ path, line: 'x', create: true }, { exists: false, parentExists: false });
    expect(plan.changes.map((change) => change.kind === 'command' ? change.argv.join(' ') : change.kind)).toEqual(['mkdir -p -- /srv/app', 'put']);
  });
});

describe('Python patterns in JavaScript', () => {
  it.each([
    ['(?P<key>\\w+)=(?P=key)', 'a=a', true],
    ['(?P<key>\\w+)=(?P=key)', 'a=b', false],
    ['(?i)^PORT', 'port 22', true],
    ['^a\\sb$', 'a\tb', true],
    ['[\\s,]x', ',x', true],
    ['[]a]', ']', true],
    ['[^]a]', 'b', true],
  ])('%s on %j: %s', (pattern, text, matches) => {
    expect(pythonRegex(pattern).test(text)).toBe(matches);
  });
});
