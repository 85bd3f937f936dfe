import { parseResource, summarize } from './external-resources';

describe('parseResource', () => {
  it.each([
    ['https://example.com/ping', { kind: 'url', shown: 'https://example.com/ping' }],
    ['http://u:secret@example.com/', { kind: 'url', shown: 'http://***@example.com/' }],
    ['example.com:443', { kind: 'tcp', host: 'example.com', port: 443 }],
    [' 192.0.2.1:53 ', { kind: 'tcp', host: '192.0.2.1', port: 53 }],
    ['[2001:db8::1]:443', { kind: 'tcp', host: '2001:db8::1', port: 443 }],
    ['example.com', { kind: 'invalid' }],
    ['example.com:0', { kind: 'invalid' }],
    ['example.com:99999', { kind: 'invalid' }],
    ['ftp://example.com/', { kind: 'invalid' }],
    ['2001:db8::1:443', { kind: 'invalid' }],
  ])('%s', (entry, expected) => {
    expect(parseResource(entry)).toMatchObject(expected);
  });
});

describe('summarize', () => {
  const rs = ['a:1', 'b:2', 'c:3'].map(parseResource);
  it('is ok only when all are reachable', () => {
    expect(summarize(rs, [undefined, undefined, undefined])).toEqual({
      ok: true,
      detail: 'all 3 external resources are reachable',
    });
    expect(summarize(rs.slice(0, 1), [undefined])).toEqual({
      ok: true,
      detail: 'the external resource is reachable',
    });
  });
  it('lists what failed and why', () => {
    expect(summarize(rs, [undefined, 'connection refused', 'answered 503'])).toEqual({
      ok: false,
      detail: '2 of 3 external resources unreachable: b:2 (connection refused); c:3 (answered 503)',
    });
  });
});
