export { openSsh, SshConnection } from './connection.js';
export { sshTargetFromVars } from './vars.js';
export type { SshTarget } from './target.js';
export type { HostKeyChecking } from './host-key-check.js';
