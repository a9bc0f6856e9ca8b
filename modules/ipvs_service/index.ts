import { defineModule } from '../../src/module/contract.js';
import type { Change, ModuleContext, ModuleResult, Plan } from '../../src/module/contract.js';
import { IpvsCommandError, oneLine } from './errors.js';
import { ipvsUnavailableReason, parseIpvsSave, parseIpvsThresholds, serviceId, withThresholds } from './parse.js';
import { planIpvsService, result } from './plan.js';
import type { IpvsState } from './plan.js';
import { serviceArgs, serviceKeyOf } from './spec.js';
import type { IpvsServiceParams } from './spec.js';
import { validateIpvsService } from './validate.js';
import { convergingMeta } from '../../src/module/meta.js';

/** Reads the table with `ipvsadm -S -n`, then the service's thresholds (which the save format lacks) when it has real servers. */
async function gather(ctx: ModuleContext, params: IpvsServiceParams): Promise<IpvsState> {
  const save = await ctx.run(['ipvsadm', '-S', '-n']);
  if (save.exitCode !== 0) {
    const reason = ipvsUnavailableReason(save.exitCode, save.stderr);
    if (reason !== undefined) return { available: false, unavailableReason: reason };
    if (save.exitCode === 127) throw new Error(`ipvsadm is not installed on this host (exit 127): ${oneLine(save.stderr)}`);
    throw new Error(`ipvsadm -S -n failed with exit ${save.exitCode}: ${oneLine(save.stderr)}`);
  }
  const id = serviceId(serviceKeyOf(params));
  const service = parseIpvsSave(save.stdout).find((candidate) => serviceId(candidate) === id);
  if (service === undefined || service.realServers.length === 0) return { available: true, service };
  const listing = await ctx.run(['ipvsadm', '-L', '-n', '--thresholds', ...serviceArgs(service)]);
  if (listing.exitCode !== 0) throw new Error(`ipvsadm -L -n --thresholds ${serviceArgs(service).join(' ')} failed with exit ${listing.exitCode}: ${oneLine(listing.stderr)}`);
  return { available: true, service: withThresholds(service, parseIpvsThresholds(listing.stdout)) };
}

/**
 * Runs the steps one by one rather than as one `ipvsadm -R` batch: -R goes on after a failed line and
 * exits with the status of the last line only, so it cannot say which step failed.
 * Then reads the table again: the result is the kernel's, and a difference left over is an error.
 */
async function apply(ctx: ModuleContext, plan: Plan, params: IpvsServiceParams): Promise<ModuleResult> {
  const steps = plan.changes.filter((change): change is Extract<Change, { kind: 'command' }> => change.kind === 'command');
  if (steps.length === 0) return { ...plan.result, changed: false };
  for (const [index, step] of steps.entries()) {
    const run = await ctx.run(step.argv);
    if (run.exitCode !== 0) throw new IpvsCommandError(step.argv, run.exitCode, run.stderr, { index, total: steps.length, description: step.description });
  }
  const now = await gather(ctx, params);
  const left = planIpvsService(params, now);
  if (left.failed !== undefined || left.changes.length > 0) {
    throw new Error(`after ${steps.length} ipvsadm step(s), the kernel still differs from the task: ${left.failed ?? left.changes.map((change) => change.description).join('; ')}`);
  }
  return { ...result(params.state ?? 'present', now.service, plan.changes), changed: true };
}

export default defineModule<IpvsServiceParams, IpvsState>({
  name: 'ipvs_service',
  meta: convergingMeta({
    state: 'present or absent',
    service: 'the virtual service as now in the kernel (under --check: as it would be): protocol, address and port or fwmark, ipv6, scheduler, sched_flags, persistence (seconds or false), persistence_netmask, one_packet; null when absent',
    real_servers: 'its real servers, sorted as ipvsadm sorts them: address, port, forwarding, weight, upper_threshold, lower_threshold',
    commands: 'the ipvsadm (and modprobe) commands run, or under --check that would run, in order',
  }),
  validate: validateIpvsService,
  gather,
  plan: planIpvsService,
  apply,
});
