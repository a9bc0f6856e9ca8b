import { it } from 'vitest';
import { rackplay } from '../../helpers/cli.js';
it('scratch', async () => {
  const r = await rackplay('run', '/tmp/ipvs-work/pb/run.yml', '--check');
  console.log(r.code, r.stdout, r.stderr);
});
