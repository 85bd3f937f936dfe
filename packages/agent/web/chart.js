// The Monitoring tab's chart: the link's round trip and the replication lag over the last hour,
// drawn with uPlot (served by the agent). It starts from the agent's samples and grows with the
// status stream, at most one point every 5 s; nothing polls.
import uPlot from '/web/vendor/uplot/uPlot.esm.js';
import { $, api } from './dom.js';

const HOUR_S = 3600;
const data = [[], [], []]; // seconds, round trip ms, lag ms
let plot = null;

function push(atMs, rttMs, lagMs) {
  const t = atMs / 1000;
  const last = data[0][data[0].length - 1];
  if (last !== undefined && t - last < 5) return false;
  data[0].push(t);
  data[1].push(rttMs);
  data[2].push(lagMs);
  while (data[0].length && data[0][0] < t - HOUR_S) for (const d of data) d.shift();
  return true;
}

/** A new status from the stream. */
export function chartStatus(s) {
  const db = s.database;
  const lag = db && db.engine !== 'none' && db.phase !== 'disabled' ? db.lagMs : null;
  if (push(Date.now(), s.link.connected ? s.link.rttMs : null, lag) && plot) plot.setData(data);
}

/** Draws the chart (the tab must be visible: uPlot measures its box). */
export async function showChart() {
  const box = $('chart');
  const { samples } = await api('history');
  for (const d of data) d.length = 0;
  for (const x of samples) push(x.atMs, x.rttMs, x.lagMs);
  const width = Math.max(280, box.clientWidth);
  if (plot) {
    plot.setSize({ width, height: 220 });
    plot.setData(data);
    return;
  }
  plot = new uPlot(
    {
      width,
      height: 220,
      series: [
        {},
        { label: 'Link round trip (ms)', stroke: '#1f6feb', width: 2, spanGaps: false },
        { label: 'Replication lag (ms)', stroke: '#cf222e', width: 2, spanGaps: false },
      ],
      axes: [{}, { label: 'ms' }],
      scales: { x: { time: true } },
    },
    data,
    box,
  );
}
