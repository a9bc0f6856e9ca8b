import { it } from 'vitest';
import { rackplay } from '../helpers/cli.js';
it('scratch', async () => {
  for (const args of [
    ['validate', 'playbooks/site.yml', '-i', 'playbooks/inventory/site.yml', '-e', 'bmc_password=x'],
    ['validate', 'playbooks/site.yml', '-i', 'playbooks/inventory/site.yml'],
    ['validate', 'playbooks/serf-cluster.yml', '-i', 'playbooks/inventory/site.yml'],
    ['validate', 'playbooks/lxc-web.yml'],
  ]) { const r = await rackplay(...args); console.log(args.join(' '), '=>', r.code, r.stdout, r.stderr); }
});
