import { InvalidArgumentError } from 'commander';
import { defaultConfig, DEFAULT_CONFIG, parseSeconds } from './options';

describe('parseSeconds', () => {
  it.each([
    ['5', 5000],
    ['2.5', 2500],
    ['5s', 5000],
    ['500ms', 500],
    [' 10 ', 10_000],
  ])('%s is %i ms', (text, ms) => expect(parseSeconds(text)).toBe(ms));

  it.each(['abc', '', '-1', '0', '5m', '1e3'])('%j is a usage error', (text) =>
    expect(() => parseSeconds(text)).toThrow(InvalidArgumentError),
  );
});

describe('defaultConfig', () => {
  const saved = process.env['SPARESYNC_CONFIG'];
  afterEach(() => {
    if (saved === undefined) delete process.env['SPARESYNC_CONFIG'];
    else process.env['SPARESYNC_CONFIG'] = saved;
  });

  it('is $SPARESYNC_CONFIG when set, else the installed place', () => {
    delete process.env['SPARESYNC_CONFIG'];
    expect(defaultConfig()).toBe(DEFAULT_CONFIG);
    process.env['SPARESYNC_CONFIG'] = '/srv/s.json';
    expect(defaultConfig()).toBe('/srv/s.json');
  });
});
