export interface InventoryHost {
  readonly name: string;
  readonly namespace: string;
  readonly address: string;
}

/**
 * The lab as an Ansible-style YAML inventory: one alias per host with its own ansible_host, shared login
 * settings in `all.vars`. Host keys are pinned through the lab's known_hosts with strict checking, so
 * playbook tests exercise rackplay's default (verified) path rather than `host_key_checking=off`.
 * `rackplay_netns` names each host's namespace for tests that inspect it from the controller.
 */
export function netnsInventoryYaml(
  hosts: readonly InventoryHost[],
  p: { user: string; privateKeyPath: string; knownHostsFile: string },
): string {
  const lines = ['all:', hosts.length > 0 ? '  hosts:' : '  hosts: {}'];
  for (const host of hosts) {
    lines.push(
      `    ${host.name}:`,
      `      ansible_host: ${host.address}`,
      `      rackplay_netns: ${JSON.stringify(host.namespace)}`,
    );
  }
  lines.push(
    '  vars:',
    '    ansible_port: 22',
    `    ansible_user: ${JSON.stringify(p.user)}`,
    `    ansible_ssh_private_key_file: ${JSON.stringify(p.privateKeyPath)}`,
    `    rackplay_known_hosts_file: ${JSON.stringify(p.knownHostsFile)}`,
    '    rackplay_host_key_checking: strict',
    '',
  );
  return lines.join('\n');
}
