import { offlineMarkerHtml } from './offline-marker';

describe('offline marker body', () => {
  it('is a short HTML page saying when and why', () => {
    const html = offlineMarkerHtml(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)));
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('2024-01-02T03:04:05.000Z');
    expect(html).toContain('the other server');
    expect(html.length).toBeLessThan(1024);
  });
});
