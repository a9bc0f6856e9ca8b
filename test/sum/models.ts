/** Emulator states: an X11-class board in SUM 2.x XML, and an X9-class board in SUM 1.x text. */

export type EmulatedSetting =
  | { name: string; type: 'Option'; selected: string; default: string; options: Array<[string, string]>; order?: number }
  | { name: string; type: 'Numeric'; value: number; default: number; min: number; max: number; step: number }
  | { name: string; type: 'String'; value: string; default: string; min: number; max: number };

export interface EmulatedMenu {
  name: string;
  texts?: Array<{ name: string; value: string }>;
  settings?: EmulatedSetting[];
  menus?: EmulatedMenu[];
}

export interface EmulatorState {
  sumVersion: string;
  format: 'xml' | 'text';
  board: { model: string; id: string };
  bios: { version: string; date: string };
  bmc?: { host: string; user: string; password: string; reachable?: boolean };
  inband?: boolean;
  pendingReboot?: boolean;
  dropChanges?: boolean;
  reboots?: number;
  lastChange?: string;
  log?: Array<{ command: string | null; oob: boolean; file: string | null }>;
  menus: EmulatedMenu[];
}

const enabled: Array<[string, string]> = [
  ['0', 'Disabled'],
  ['1', 'Enabled'],
];
const bootDevices: Array<[string, string]> = [
  ['0', 'UEFI Hard Disk:Samsung SSD 860'],
  ['1', 'UEFI Network:IPv4 Intel(R) I350 Gigabit'],
  ['2', 'UEFI USB Key'],
  ['3', 'Disabled'],
];

export const BMC_PASSWORD = 'Sup3r&S3cret<pw>';

export function x11Board(): EmulatorState {
  return {
    sumVersion: '2.14.0',
    format: 'xml',
    board: { model: 'X11DPi-NT', id: '0953' },
    bios: { version: '3.4', date: '2020/10/14' },
    bmc: { host: '127.0.0.1', user: 'ADMIN', password: BMC_PASSWORD },
    menus: [
      {
        name: 'Main',
        texts: [
          { name: 'BIOS Version', value: '3.4' },
          { name: 'Build Date', value: '2020/10/14' },
        ],
      },
      {
        name: 'Advanced',
        menus: [
          {
            name: 'Boot Feature',
            settings: [
              { name: 'Quiet Boot', type: 'Option', selected: 'Enabled', default: 'Enabled', options: enabled },
              { name: 'Wait For "F1" If Error', type: 'Option', selected: 'Enabled', default: 'Enabled', options: enabled },
              { name: 'Re-try Boot', type: 'Option', selected: 'Disabled', default: 'Disabled', options: [['0', 'Disabled'], ['1', 'Legacy Boot'], ['2', 'EFI Boot']] },
            ],
          },
          {
            name: 'CPU Configuration',
            settings: [
              { name: 'Hyper-Threading [ALL]', type: 'Option', selected: 'Disable', default: 'Enable', options: [['0', 'Disable'], ['1', 'Enable']] },
              { name: 'Core Enabled', type: 'Numeric', value: 0, default: 0, min: 0, max: 28, step: 1 },
            ],
            menus: [
              {
                name: 'Advanced Power Management Configuration',
                settings: [
                  { name: 'Power Technology', type: 'Option', selected: 'Energy Efficient', default: 'Energy Efficient', options: [['0', 'Disable'], ['1', 'Energy Efficient'], ['2', 'Custom']] },
                ],
              },
            ],
          },
          {
            name: 'Network Stack Configuration',
            settings: [
              { name: 'PXE boot wait time', type: 'Numeric', value: 0, default: 0, min: 0, max: 5, step: 1 },
              { name: 'Media detect count', type: 'Numeric', value: 1, default: 1, min: 1, max: 50, step: 1 },
            ],
          },
        ],
      },
      {
        name: 'Security',
        settings: [{ name: 'Asset Tag', type: 'String', value: '', default: '', min: 0, max: 20 }],
      },
      {
        name: 'Boot',
        settings: [
          { name: 'Boot Mode Select', type: 'Option', selected: 'UEFI', default: 'DUAL', options: [['0', 'LEGACY'], ['1', 'UEFI'], ['2', 'DUAL']] },
          { name: 'Boot Option #1', type: 'Option', order: 1, selected: 'UEFI Hard Disk:Samsung SSD 860', default: 'UEFI Hard Disk:Samsung SSD 860', options: bootDevices },
          { name: 'Boot Option #2', type: 'Option', order: 2, selected: 'UEFI Network:IPv4 Intel(R) I350 Gigabit', default: 'UEFI Network:IPv4 Intel(R) I350 Gigabit', options: bootDevices },
          { name: 'Boot Option #3', type: 'Option', order: 3, selected: 'UEFI USB Key', default: 'UEFI USB Key', options: bootDevices },
        ],
      },
    ],
  };
}

export function x9Board(): EmulatorState {
  return {
    sumVersion: '1.6.2',
    format: 'text',
    board: { model: 'X9DRi-LN4+', id: '0665' },
    bios: { version: '3.2', date: '2015/01/22' },
    bmc: { host: '127.0.0.1', user: 'ADMIN', password: BMC_PASSWORD },
    menus: [
      {
        name: 'Advanced',
        menus: [
          {
            name: 'Boot Feature',
            settings: [
              { name: 'Quiet Boot', type: 'Option', selected: 'Enabled', default: 'Enabled', options: [['00', 'Disabled'], ['01', 'Enabled']] },
              { name: 'Watch Dog Function', type: 'Option', selected: 'Disabled', default: 'Disabled', options: [['00', 'Disabled'], ['01', 'Enabled']] },
            ],
          },
          {
            name: 'Processor & Clock Options',
            settings: [
              { name: 'Hyper-threading', type: 'Option', selected: 'Disabled', default: 'Enabled', options: [['00', 'Disabled'], ['01', 'Enabled']] },
              { name: 'Active Processor Cores', type: 'Option', selected: 'All', default: 'All', options: [['00', 'All'], ['01', '1'], ['02', '2'], ['04', '4']] },
            ],
          },
        ],
      },
    ],
  };
}

/** A firmware image file the emulator accepts: it names its board and version. */
export function biosImage(board: string, version: string, date = '2024/01/15'): string {
  return `SUPERMICRO BIOS IMAGE\nboard=${board}\nversion=${version}\ndate=${date}\n`;
}
