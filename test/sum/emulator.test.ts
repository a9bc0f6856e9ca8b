import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseBiosConfig, parseBiosInfo } from '../../modules/sum_bios/parse.js';
import { biosOf, startEmulator } from './emulator.js';
import type { Emulator } from './emulator.js';
import { BMC_PASSWORD, biosImage, x11Board, x9Board } from './models.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.cleanup();
  emulator = undefined;
});

const oob = ['-i', '127.0.0.1', '-u', 'ADMIN', '-p', BMC_PASSWORD];

describe('the SUM emulator', () => {
  it('reports the BIOS in-band and out-of-band, commands case-insensitive', async () => {
    emulator = await startEmulator(x11Board());
    for (const args of [['-c', 'GetBiosInfo'], [...oob, '-C', 'getbiosinfo']]) {
      const run = await emulator.sum(...args);
      expect(run.exitCode).toBe(0);
      expect(parseBiosInfo(run.stdout)).toEqual({ version: '3.4', date: '2020/10/14', board: '0953' });
    }
  });

  it('gives SUM exit codes: credentials, login, host, options, commands, files', async () => {
    emulator = await startEmulator(x11Board());
    const cases: Array<[string[], number, RegExp]> = [
      [['-i', '127.0.0.1', '-u', 'ADMIN', '-p', 'wrong', '-c', 'GetBiosInfo'], 146, /Login to 127\.0\.0\.1 failed/],
      [['-i', '127.0.0.1', '-c', 'GetBiosInfo'], 4, /needs -i/],
      [['-i', 'bmc-unknown.invalid', '-u', 'ADMIN', '-p', BMC_PASSWORD, '-c', 'GetBiosInfo'], 10, /Host unknown/],
      [['-c', 'GetBiosInfo', '--frobnicate'], 2, /Unknown option/],
      [['-c'], 3, /Missing argument/],
      [['-c', 'FlashEverything'], 6, /Unknown command/],
      [['-c', 'ChangeBiosCfg', '--file', '/nonexistent/x.xml'], 8, /Cannot open file/],
      [['-c', 'UpdateBios', '--file', '/nonexistent/x.bin'], 8, /Cannot open file/],
      [['-c', 'GetCurrentBiosCfgTextFile', '--file', '/tmp/never'], 38, /not supported/],
    ];
    for (const [args, code, message] of cases) {
      const run = await emulator.sum(...args);
      expect({ args, code: run.exitCode }).toEqual({ args, code });
      expect(run.stderr).toMatch(message);
      expect(run.stdout + run.stderr).not.toContain(BMC_PASSWORD);
    }
  });

  it('writes a full XML configuration the module parser reads, refusing to overwrite without --overwrite', async () => {
    emulator = await startEmulator(x11Board());
    const file = join(emulator.dir, 'current.xml');
    expect((await emulator.sum('-c', 'GetCurrentBiosCfg', '--file', file)).exitCode).toBe(0);
    expect((await emulator.sum('-c', 'GetCurrentBiosCfg', '--file', file)).exitCode).toBe(9);
    expect((await emulator.sum('-c', 'GetCurrentBiosCfg', '--file', file, '--OVERWRITE')).exitCode).toBe(0);
    const config = parseBiosConfig(await readFile(file, 'latin1'));
    expect(config.format).toBe('xml');
    expect(config.biosVersion).toBe('3.4');
    expect(config.settings.find((setting) => setting.key === 'Advanced|CPU Configuration|Hyper-Threading [ALL]')).toMatchObject({ type: 'Option', current: 'Disable', default: 'Enable' });
    expect(config.settings.find((setting) => setting.name === 'Wait For "F1" If Error')).toMatchObject({ current: 'Enabled' });
  });

  it('applies a valid partial file and refuses an invalid one atomically', async () => {
    emulator = await startEmulator(x11Board());
    const before = biosOf(await emulator.read());
    const bad = join(emulator.dir, 'bad.xml');
    await writeFile(
      bad,
      '<?xml version="1.0"?><BiosCfg><Menu name="Advanced"><Menu name="Boot Feature"><Setting name="Quiet Boot" selectedOption="Disabled" type="Option"/></Menu>' +
        '<Menu name="CPU Configuration"><Setting name="Hyper-Threading [ALL]" selectedOption="Maybe" type="Option"/></Menu></Menu></BiosCfg>',
    );
    const refused = await emulator.sum('-c', 'ChangeBiosCfg', '--file', bad);
    expect(refused.exitCode).toBe(60);
    expect(refused.stderr).toMatch(/"Maybe" is not in AvailableOptions/);
    expect(biosOf(await emulator.read())).toEqual(before);

    const unknown = join(emulator.dir, 'unknown.xml');
    await writeFile(unknown, '<BiosCfg><Menu name="Advanced"><Setting name="Turbo Mode" selectedOption="Enabled" type="Option"/></Menu></BiosCfg>');
    expect((await emulator.sum('-c', 'ChangeBiosCfg', '--file', unknown)).exitCode).toBe(60);
    expect((await emulator.sum('-c', 'ChangeBiosCfg', '--file', unknown, '--skip_unknown')).exitCode).toBe(0);
    await writeFile(unknown, '<BiosCfg><Menu name="Advanced"></BiosCfg>');
    expect((await emulator.sum('-c', 'ChangeBiosCfg', '--file', unknown)).exitCode).toBe(60);

    const good = join(emulator.dir, 'good.xml');
    await writeFile(good, '<BiosCfg><Menu name="Advanced"><Menu name="Boot Feature"><Setting name="Quiet Boot" selectedOption="Disabled" type="Option"/></Menu></Menu></BiosCfg>');
    const changed = await emulator.sum(...oob, '-c', 'ChangeBiosCfg', '--file', good);
    expect(changed.exitCode).toBe(0);
    expect(changed.stdout).toContain('The BIOS configuration is updated for the managed system');
    expect(changed.stdout).toContain('You have to reboot or power up the system for the changes to take effect');
    const state = await emulator.read();
    expect(state.pendingReboot).toBe(true);
    expect(JSON.stringify(state.menus)).toContain('"selected":"Disabled","default":"Enabled"');
  });

  it('updates the BIOS from an image naming its version, checking board and format', async () => {
    emulator = await startEmulator(x11Board());
    const image = join(emulator.dir, 'X11DPI.bin');
    await writeFile(image, 'garbage');
    expect((await emulator.sum('-c', 'UpdateBios', '--file', image)).exitCode).toBe(62);
    await writeFile(image, biosImage('X9DRi-LN4+', '3.5'));
    expect((await emulator.sum('-c', 'UpdateBios', '--file', image)).exitCode).toBe(82);
    await writeFile(image, biosImage('X11DPi-NT', '4.0'));
    expect((await emulator.sum('-c', 'UpdateBios', '--file', image, '--reboot')).exitCode).toBe(0);
    expect(parseBiosInfo((await emulator.sum('-c', 'GetBiosInfo')).stdout).version).toBe('4.0');
  });

  it('speaks the SUM 1.x text format on an X9-class board', async () => {
    emulator = await startEmulator(x9Board());
    const file = join(emulator.dir, 'current.txt');
    expect((await emulator.sum('-c', 'GetCurrentBiosCfgTextFile', '--file', file)).exitCode).toBe(0);
    const text = await readFile(file, 'latin1');
    expect(text).toMatch(/^\[Advanced\|Processor & Clock Options\]$/m);
    expect(text).toMatch(/^Hyper-threading=00\s+\/\/ 00 \(Disabled\), \*01 \(Enabled\)$/m);
    const partial = join(emulator.dir, 'partial.txt');
    await writeFile(partial, '[Advanced|Processor & Clock Options]\nHyper-threading=07\n');
    expect((await emulator.sum('-c', 'ChangeBiosCfg', '--file', partial)).exitCode).toBe(60);
    await writeFile(partial, '[Advanced|Processor & Clock Options]\nHyper-threading=01\n');
    expect((await emulator.sum('-c', 'ChangeBiosCfg', '--file', partial)).exitCode).toBe(0);
    expect((await emulator.sum('-c', 'GetCurrentBiosCfg', '--file', file, '--overwrite')).exitCode).toBe(0);
    expect(parseBiosConfig(await readFile(file, 'latin1')).settings.find((setting) => setting.name === 'Hyper-threading')?.current).toBe('Enabled');
  });
});
