import { it } from 'vitest';
import { startSshLab } from '../lab/ssh-lab.js';
import { execFileSync } from 'node:child_process';
it('smoke', async () => {
const lab = await startSshLab();
console.log(lab.port, lab.user);
const out = execFileSync('ssh', ['-i', lab.privateKeyPath, '-p', String(lab.port), '-o', `UserKnownHostsFile=${lab.knownHostsFile}`, '-o', 'StrictHostKeyChecking=yes', '-o','BatchMode=yes', `${lab.user}@127.0.0.1`, 'id; echo $0'], {encoding:'utf8'});
console.log(out);
console.log(lab.inventoryFor(2));
await lab.stop();
});
