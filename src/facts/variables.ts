import type { Facts } from './types.js';

/** Ansible's names for the facts that have an exact counterpart here. */
export function ansibleAliases(facts: Facts): Record<string, unknown> {
  return {
    ansible_hostname: facts.hostname,
    ansible_fqdn: facts.fqdn,
    ansible_os_family: facts.os.family,
    ansible_distribution: facts.os.distribution,
    ansible_distribution_version: facts.os.version_id,
    ansible_default_ipv4: facts.default_ipv4,
    ansible_architecture: facts.arch,
    ansible_kernel: facts.kernel,
    ansible_system: facts.system,
    ansible_processor_vcpus: facts.cpu_count,
    ansible_memtotal_mb: facts.mem_mb,
  };
}

/** The variables gathered facts define: `facts` and the aliases. */
export function factVariables(facts: Facts): Record<string, unknown> {
  return { facts, ...ansibleAliases(facts) };
}

/** Their names, for the static undefined-variable check. */
export const FACT_VARIABLE_NAMES: readonly string[] = [
  'facts',
  'ansible_hostname',
  'ansible_fqdn',
  'ansible_os_family',
  'ansible_distribution',
  'ansible_distribution_version',
  'ansible_default_ipv4',
  'ansible_architecture',
  'ansible_kernel',
  'ansible_system',
  'ansible_processor_vcpus',
  'ansible_memtotal_mb',
];
