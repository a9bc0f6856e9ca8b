import { defineModule } from '../../src/module/contract.js';
import type { FileParamsFromSchema } from './params.generated.js';
import { convergingMeta } from '../../src/module/meta.js';
import type { PathState } from './parse.js';
import { filePath, planFile } from './plan.js';
import { statPath } from './stat.js';

export default defineModule<FileParamsFromSchema, PathState>({
  name: 'file',
  meta: convergingMeta({
    path: 'the path managed',
    state: 'the state asked for: file, directory, absent, link or touch',
    src: 'for state=link, the target of the link',
  }),
  gather: (ctx, params) => {
    const wantsRecurse = params.recurse === true && (params.mode !== undefined || params.owner !== undefined || params.group !== undefined);
    return statPath(ctx, filePath(params), wantsRecurse ? { recurse: { mode: params.mode, owner: params.owner, group: params.group } } : {});
  },
  plan: planFile,
});
