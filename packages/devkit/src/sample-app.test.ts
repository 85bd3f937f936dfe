import { parseSampleArgs } from './sample-app';

describe('sparesync-sample-app arguments', () => {
  it('reads start, stop and status', () => {
    expect(parseSampleArgs(['start', '--port', '18080', '--dir', '/x', '--name', 'p'])).toEqual({
      command: 'start',
      port: 18080,
      dir: '/x',
      name: 'p',
    });
    expect(parseSampleArgs(['stop', '--dir', '/x'])).toMatchObject({ command: 'stop', dir: '/x' });
    expect(parseSampleArgs(['status', '--dir', '/x'])).toMatchObject({ command: 'status', name: 'app' });
  });

  it.each([
    [['restart', '--dir', '/x'], /unknown command "restart"/],
    [[], /unknown command ""/],
    [['start', '--dir', '/x'], /--port must be a TCP port/],
    [['start', '--port', '70000', '--dir', '/x'], /--port/],
    [['stop'], /--dir is required/],
    [['stop', '--dir'], /unexpected argument "--dir"/],
    [['status', '--dir', '/x', '--verbose', '1'], /unexpected argument "--verbose"/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseSampleArgs(argv)).toThrow(message);
  });
});
