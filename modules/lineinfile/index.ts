import { defineModule } from '../../src/module/contract.js';
import type { LineinfileParamsFromSchema } from './params.generated.js';
import { convergingMeta } from '../../src/module/meta.js';
import { applyWrite } from '../copy/apply.js';
import type { PathState } from '../file/parse.js';
import { statPath } from '../file/stat.js';
import { linePath, planLineinfile } from './plan.js';

export default defineModule<LineinfileParamsFromSchema, PathState>({
  name: 'lineinfile',
  meta: convergingMeta({
    msg: "'line added', 'line replaced' or 'N line(s) removed'",
    found: 'state=absent: the number of lines removed',
    backup_file: 'the backup made of the previous file, with backup=true',
  }),
  // The whole file is needed to plan the edit, so it comes back with the stat in the same round trip.
  gather: (ctx, params) => statPath(ctx, linePath(params), { content: 'all' }),
  plan: planLineinfile,
  apply: applyWrite,
});
