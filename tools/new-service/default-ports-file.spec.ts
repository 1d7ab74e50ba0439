import { addDefaultPort, readDefaultPorts } from './default-ports-file';

const source = [
  '/** The one list. */',
  'export const DEFAULT_PORTS = Object.freeze({',
  '  gateway: 8080,',
  '  // a planned one',
  '  notifier: 8085,',
  "  'ml-serving': 8086",
  '} as const);',
  '',
  'export type ServiceName = keyof typeof DEFAULT_PORTS;',
  '',
].join('\n');

describe('DEFAULT_PORTS as text', () => {
  it('reads every entry, quoted or not', () => {
    expect([...readDefaultPorts(source)]).toEqual([
      ['gateway', 8080],
      ['notifier', 8085],
      ['ml-serving', 8086],
    ]);
  });

  it('adds one line after the last entry and changes nothing else', () => {
    const updated = addDefaultPort(source, 'field-notes', 8087);
    expect(updated).toBe(source.replace("  'ml-serving': 8086\n", "  'ml-serving': 8086,\n  'field-notes': 8087,\n"));
    expect(addDefaultPort(updated, 'billing', 8088)).toContain("  'field-notes': 8087,\n  billing: 8088,\n} as const);");
  });

  it('refuses a file whose list it cannot read', () => {
    expect(() => readDefaultPorts('export const PORTS = {};')).toThrow(/no `DEFAULT_PORTS = Object.freeze\(\{` line/);
    expect(() => readDefaultPorts(source.replace('  gateway: 8080,', '  ...others,'))).toThrow(/line 3 is not a `name: port,` entry/);
  });
});
