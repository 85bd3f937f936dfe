import { canonicalIp, parseEndpoint, sanEntries } from './endpoint';

describe('parseEndpoint', () => {
  it('takes the first item as the name and sorts the rest into addresses and host names', () => {
    expect(parseEndpoint('host1,10.0.0.5,host1.example.com')).toEqual({
      name: 'host1',
      ips: ['10.0.0.5'],
      dnsNames: ['host1.example.com'],
    });
  });

  it('accepts IPv6 with or without brackets, spaces around items, and writes addresses canonically', () => {
    expect(parseEndpoint(' web2 , [2001:DB8::0:1], ::ffff:10.0.0.1 ,WEB2.Example.COM.')).toEqual({
      name: 'web2',
      ips: ['2001:db8::1', '::ffff:a00:1'],
      dnsNames: ['web2.example.com'],
    });
  });

  it('accepts an address as the name', () => {
    expect(parseEndpoint('127.0.0.1,localhost')).toEqual({
      name: '127.0.0.1',
      ips: [],
      dnsNames: ['localhost'],
    });
  });

  it.each([
    ['', 'expected NAME[,IP|DNS...]'],
    [',,', 'expected NAME[,IP|DNS...]'],
    ['web 1', '"web 1" is neither an IP address nor a host name'],
    ['web1,10.0.0.300', '"10.0.0.300" is neither'],
    ['web1,fe80::1%eth0', '"fe80::1%eth0" is neither'],
    ['web1,-bad.example', '"-bad.example" is neither'],
  ])('rejects %j naming the option', (spec, message) => {
    expect(() => parseEndpoint(spec, '--primary')).toThrow(
      expect.objectContaining({ code: 'InvalidArgument' }),
    );
    expect(() => parseEndpoint(spec, '--primary')).toThrow(`--primary: `);
    expect(() => parseEndpoint(spec, '--primary')).toThrow(message);
  });
});

describe('canonicalIp', () => {
  it('recognises IPv4 and IPv6 literals only', () => {
    expect(canonicalIp('10.0.0.5')).toBe('10.0.0.5');
    expect(canonicalIp('[::1]')).toBe('::1');
    expect(canonicalIp('2001:0db8:0000::0001')).toBe('2001:db8::1');
    expect(canonicalIp('localhost')).toBeUndefined();
    expect(canonicalIp('1.2.3')).toBeUndefined();
  });
});

describe('sanEntries', () => {
  it('puts the name first (as DNS or IP by its form) and lists each entry once', () => {
    expect(
      sanEntries(
        { name: 'web1', ips: ['10.0.0.5', '10.0.0.5'], dnsNames: ['web1', 'web1.example.com'] },
        'primary',
      ),
    ).toEqual([
      { type: 'dns', value: 'web1' },
      { type: 'dns', value: 'web1.example.com' },
      { type: 'ip', value: '10.0.0.5' },
    ]);
    expect(sanEntries({ name: '::1', ips: [], dnsNames: ['localhost'] }, 'primary')).toEqual([
      { type: 'ip', value: '::1' },
      { type: 'dns', value: 'localhost' },
    ]);
  });

  it('checks what API callers pass, which did not go through parseEndpoint', () => {
    expect(() => sanEntries({ name: 'web1', ips: ['web1.example.com'], dnsNames: [] }, 'primary')).toThrow(
      'primary: "web1.example.com" is not an IP address',
    );
    expect(() => sanEntries({ name: '', ips: [], dnsNames: [] }, 'secondary')).toThrow(
      'secondary: the name must have 1 to 64 characters',
    );
    expect(() => sanEntries({ name: 'a'.repeat(65), ips: [], dnsNames: [] }, 'secondary')).toThrow('1 to 64');
    expect(() => sanEntries({ name: 'ok', ips: [], dnsNames: ['bad name'] }, 'secondary')).toThrow(
      '"bad name"',
    );
  });
});
