import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IpvsCommandError } from '../../../modules/ipvs_service/errors.js';
import { ipvsUnavailableReason } from '../../../modules/ipvs_service/parse.js';

interface Captured {
  readonly name: string;
  readonly command: string;
  readonly exitCode: number;
  readonly stderr: string;
}

// What ipvsadm 1.31 and the VM's kernel answered, captured in the QEMU lab (test/ipvs/), never written by hand.
const captured = (JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'errors.json'), 'utf8')) as { commands: Captured[] }).commands;
const named = (name: string): Captured => {
  const found = captured.find((entry) => entry.name === name);
  if (found === undefined) throw new Error(`errors.json has no ${name}`);
  return found;
};

describe('ipvs_service failures carry what ipvsadm said', () => {
  it('tells a kernel without IPVS apart from other failures', () => {
    for (const name of ['not_loaded_save', 'not_loaded_list', 'not_loaded_add']) {
      const entry = named(name);
      expect(ipvsUnavailableReason(entry.exitCode, entry.stderr)).toBe("ipvsadm: Can't initialize ipvs: Protocol not available, exit 2");
    }
    for (const name of ['service_exists', 'destination_exists', 'add_destination_missing_service', 'unknown_scheduler', 'bad_address']) {
      const entry = named(name);
      expect(ipvsUnavailableReason(entry.exitCode, entry.stderr), name).toBeUndefined();
    }
  });

  it.each([
    ['destination_exists', 'Destination already exists', 255],
    ['service_exists', 'Service already exists', 255],
    ['add_destination_missing_service', 'Service not defined', 255],
    ['edit_missing_destination', 'No such destination', 255],
    ['unknown_scheduler', 'Scheduler or persistence engine not found', 255],
    ['one_packet_tcp', 'One-Packet Scheduling is only for UDP virtual services', 2],
  ])('%s: the command, the message and the exit code, and which step', (name, message, exitCode) => {
    const entry = named(name);
    expect(entry.exitCode).toBe(exitCode);
    const argv = entry.command.split(' ');
    const error = new IpvsCommandError(argv, entry.exitCode, entry.stderr, { index: 1, total: 3, description: 'the step' });
    expect(error.message).toBe(`${entry.command} failed with exit ${exitCode}: ${message} (step 2 of 3: the step; step 1 was applied)`);
    expect(error.code).toBe('E_CHANGE_FAILED');
  });

  it('puts a multi-line message on one line', () => {
    const entry = named('not_loaded_add');
    const error = new IpvsCommandError(entry.command.split(' '), entry.exitCode, entry.stderr, { index: 0, total: 1, description: 'add' });
    expect(error.message).toContain("No such file or directory / Can't initialize ipvs: Protocol not available / Are you sure");
    expect(error.message).toContain('nothing was applied before it');
  });
});
