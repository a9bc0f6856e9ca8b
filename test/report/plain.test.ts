import { describe, expect, it } from 'vitest';
import { attachRenderer } from '../../src/report/index.js';
import { capture, EventBus, play, SCRIPT } from './script.js';

async function render(options: { verbose?: boolean; diff?: boolean; color?: boolean } = {}): Promise<string> {
  const bus = new EventBus();
  const { out, text } = capture();
  const renderer = attachRenderer(bus, 'plain', { verbose: options.verbose ?? false, diff: options.diff ?? false, out, color: options.color ?? false });
  play(bus);
  await renderer.done();
  return text();
}

describe('plain renderer', () => {
  it('prints Ansible-like lines', async () => {
    expect(await render()).toMatchInlineSnapshot(`
      "
      PLAY [configure web] ***********************************************************

      TASK [write motd] **************************************************************
      ok: [web1]
      changed: [web2]
      fatal: [db1.example.internal]: UNREACHABLE! => connect ECONNREFUSED 10.0.0.9:22
      [WARNING]: host db1.example.internal is unreachable; it is left out of the rest of the play

      TASK [install packages] ********************************************************
      changed: [web1] => (item=nginx)
      skipping: [web1] => (item=vim)
      failed: [web2] (item=nginx) => E: Unable to locate package
      ...ignoring
      failed: [web2] (item=vim) => dpkg: lock held
          by pid 42

      TASK [set password] ************************************************************
      changed: [web1] => (item=None)

      TASK [say hello] ***************************************************************
      ok: [web1] => {
          "msg": "Hello from web1"
      }

      RUNNING HANDLER [restart sshd] *************************************************
      changed: [web1]

      PLAY RECAP *********************************************************************
      db1.example.internal       : ok=0    changed=0    unreachable=1    failed=0    skipped=0    rescued=0    ignored=0
      web1                       : ok=4    changed=2    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0
      web2                       : ok=2    changed=1    unreachable=0    failed=1    skipped=0    rescued=0    ignored=0

      "
    `);
  });

  it('adds diffs, stdout/stderr and timings with --diff -v', async () => {
    expect(await render({ verbose: true, diff: true })).toMatchInlineSnapshot(`
      "
      PLAYBOOK: site.yml *************************************************************

      PLAY [configure web] ***********************************************************

      TASK [write motd] **************************************************************
      ok: [web1]
        msg: motd is up to date
      changed: [web2]
        stdout: written
      --- before: /etc/motd
      +++ after: /etc/motd
      @@ -1,2 +1,2 @@
       Welcome
      -to web2
      +to web2, managed by rackplay
      fatal: [db1.example.internal]: UNREACHABLE! => connect ECONNREFUSED 10.0.0.9:22
      [WARNING]: host db1.example.internal is unreachable; it is left out of the rest of the play

      TASK [install packages] ********************************************************
      changed: [web1] => (item=nginx)
        stdout: installed nginx
      skipping: [web1] => (item=vim)
      failed: [web2] (item=nginx) => E: Unable to locate package
      ...ignoring
      failed: [web2] (item=vim) => dpkg: lock held
          by pid 42

      TASK [set password] ************************************************************
      changed: [web1] => (item=None) => {"censored":"the output has been hidden due to the fact that 'no_log: true' was specified for this result"}

      TASK [say hello] ***************************************************************
      ok: [web1] => {
          "msg": "Hello from web1"
      }

      RUNNING HANDLER [restart sshd] *************************************************
      changed: [web1]

      PLAY RECAP *********************************************************************
      db1.example.internal       : ok=0    changed=0    unreachable=1    failed=0    skipped=0    rescued=0    ignored=0
      web1                       : ok=4    changed=2    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0
      web2                       : ok=2    changed=1    unreachable=0    failed=1    skipped=0    rescued=0    ignored=0

      TASK TIMINGS *******************************************************************
      restart sshd (site.yml:20:5) -------------------------------------------- 0.30s
      install packages (site.yml:8:5) ----------------------------------------- 0.12s
      write motd (site.yml:3:5) ----------------------------------------------- 0.03s

      Playbook run took 1.50s, 0.90s of it in host commands

      "
    `);
  });

  it('never shows a no_log item or result', async () => {
    const text = await render({ verbose: true, diff: true });
    expect(text).not.toContain('hunter2');
    expect(text).toContain('changed: [web1] => (item=None)');
  });

  it('colours status lines only when asked', async () => {
    expect(await render()).not.toContain('\u001b[');
    const coloured = await render({ color: true });
    expect(coloured).toContain('\u001b[32mok: [web1]\u001b[39m');
    expect(coloured).toContain('\u001b[33mchanged: [web2]\u001b[39m');
    expect(coloured).toContain('\u001b[31mfatal: [db1.example.internal]: UNREACHABLE!');
    expect(coloured).toContain('\u001b[36mskipping: [web1] => (item=vim)\u001b[39m');
  });

  it('repeats the task banner when results of tasks interleave (strategy free)', async () => {
    const bus = new EventBus();
    const { out, text } = capture();
    const renderer = attachRenderer(bus, 'plain', { verbose: false, diff: false, out, color: false });
    const [, playStart, motdStart, web1Motd] = SCRIPT;
    const packagesStart = SCRIPT.find((event) => event.type === 'task_start' && event.task.id === '8')!;
    play(bus, [playStart!, motdStart!, packagesStart, web1Motd!, SCRIPT.at(-1)!]);
    await renderer.done();
    expect(text().match(/TASK \[write motd\]/g)).toHaveLength(2);
  });

  it('resolves done() on a bare { write } stream', async () => {
    const bus = new EventBus();
    let text = '';
    const out = { write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WritableStream;
    const renderer = attachRenderer(bus, 'plain', { verbose: false, diff: false, out });
    play(bus);
    await renderer.done();
    expect(text).toContain('PLAY RECAP');
  });
});
