import { randomBytes } from 'node:crypto';
import { CompressionGate, MISSES, PROBE_EVERY } from './compression-gate';

const text = Buffer.from('the same line of text again and again\n'.repeat(500));
const noise = () => randomBytes(16 * 1024);

describe('CompressionGate', () => {
  it('deflates data that shrinks and sends data that does not raw', () => {
    const gate = new CompressionGate(true);
    const t = gate.pack('a/notes.txt', text);
    expect(t.deflated).toBe(true);
    expect(t.data.length).toBeLessThan(text.length / 10);
    const n = noise();
    expect(gate.pack('a/x.bin', n)).toEqual({ data: n, deflated: false });
  });

  it('stops trying an extension after repeated misses, probes it now and then, and learns again', () => {
    const gate = new CompressionGate(true);
    const tried = jest.spyOn(require('node:zlib'), 'deflateRawSync');
    for (let i = 0; i < MISSES; i++) gate.pack(`d/f${i}.JPG`, noise());
    expect(tried).toHaveBeenCalledTimes(MISSES);
    // Skipped now, except one probe in PROBE_EVERY; other extensions are still tried.
    for (let i = 1; i < PROBE_EVERY; i++) expect(gate.pack(`d/g${i}.jpg`, text).deflated).toBe(false);
    expect(tried).toHaveBeenCalledTimes(MISSES);
    expect(gate.pack('d/other.txt', text).deflated).toBe(true);
    // The probe finds data of that extension that shrinks: tried every time again.
    expect(gate.pack('d/probe.jpg', text).deflated).toBe(true);
    expect(gate.pack('d/next.jpg', text).deflated).toBe(true);
    tried.mockRestore();
  });

  it('never deflates when compression is off', () => {
    const gate = new CompressionGate(false);
    expect(gate.pack('a.txt', text)).toEqual({ data: text, deflated: false });
  });
});
