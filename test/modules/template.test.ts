import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import template from '../../modules/template/index.js';
import { planTask } from './context.js';
import { expectCheckLeavesTree, expectConverges } from './converge.js';
import { useTempDir } from './tree.js';

const dir = useTempDir();
const at = (...parts: string[]) => join(dir.path, ...parts);
const vars = { service: 'hello-web', http_port: 8080, upstreams: ['127.0.0.1:9001', '127.0.0.1:9002'] };
const source = '# {{service}}\nlisten {{http_port}}\n{{#each upstreams}}\nserver {{this}}\n{{/each}}\n';
const rendered = '# hello-web\nlisten 8080\nserver 127.0.0.1:9001\nserver 127.0.0.1:9002\n';

describe('template', () => {
  it('renders a Handlebars file from templates/ with the task variables and writes it like copy', async () => {
    await mkdir(at('templates'));
    await writeFile(at('templates', 'site.conf.hbs'), source);
    const { checked, first } = await expectConverges(template, { src: 'site.conf.hbs', dest: at('site.conf'), mode: '0644' }, { baseDir: dir.path, vars });
    expect(await readFile(at('site.conf'), 'utf8')).toBe(rendered);
    expect(((await stat(at('site.conf'))).mode & 0o777).toString(8)).toBe('644');
    expect(checked.diff).toEqual({ path: at('site.conf'), before: '', after: rendered });
    expect(first.result).toMatchObject({ changed: true, dest: at('site.conf') });
  });

  it('finds the template relative to the playbook folder too, and diffs a re-render', async () => {
    await writeFile(at('site.conf.hbs'), source);
    await writeFile(at('site.conf'), rendered);
    const plan = await expectCheckLeavesTree(template, { src: 'site.conf.hbs', dest: at('site.conf') }, { baseDir: dir.path, vars: { ...vars, http_port: 9090 } });
    expect(plan.diff).toEqual({ path: at('site.conf'), before: rendered, after: rendered.replace('8080', '9090') });
  });

  it('writes into a destination folder under the template file name', async () => {
    await writeFile(at('app.env.hbs'), 'PORT={{http_port}}\n');
    await mkdir(at('etc'));
    const { first } = await expectConverges(template, { src: 'app.env.hbs', dest: at('etc') }, { baseDir: dir.path, vars });
    expect(first.result?.dest).toBe(at('etc', 'app.env.hbs'));
    expect(await readFile(at('etc', 'app.env.hbs'), 'utf8')).toBe('PORT=8080\n');
  });

  it('fails on an undefined variable rather than writing an empty value', async () => {
    await writeFile(at('bad.hbs'), 'value={{missing_variable}}\n');
    await expect(planTask(template, { src: 'bad.hbs', dest: at('out') }, { baseDir: dir.path, vars })).rejects.toThrow(/missing_variable/);
  });

  it('fails on a missing template, naming where it looked', async () => {
    await expect(planTask(template, { src: 'nope.hbs', dest: at('out') }, { baseDir: dir.path, vars })).rejects.toThrow(/templates\/nope\.hbs/);
  });
});
