// Chart helpers over uPlot. Every chart records the data it was given in window.gsDrawn[id], exactly as drawn, so
// that the browser tests can compare what is on screen with a query of their own.
'use strict';
window.gsDrawn = {};

const GsCharts = (() => {
  const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f',
    '#bcbd22', '#17becf'];
  const color = i => i < PALETTE.length ? PALETTE[i] : `hsl(${(i * 47) % 360} 60% 45%)`;
  const charts = {};
  // iterations, epochs and time steps are whole numbers: no tick at 0.5
  const STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 1e7];

  function clear(id, message) {
    if (charts[id]) { charts[id].destroy(); delete charts[id]; }
    delete window.gsDrawn[id];
    const el = document.getElementById(id);
    el.innerHTML = message ? `<div class="none">${message}</div>` : '';
    el.dataset.drawn = 'none';
  }

  /** Lines sharing one x axis: lines = [{label, x: [...], y: [...]}]; log draws y on a log10 scale. */
  function lines(id, title, xLabel, yLabel, list, opts = {}) {
    clear(id);
    const drawn = list.filter(l => l.y.some(v => v != null && (!opts.log || v > 0)));
    if (!drawn.length) { clear(id, `${title}: nothing recorded`); return; }
    const xs = [...new Set(drawn.flatMap(l => l.x))].sort((a, b) => a - b);
    const at = new Map(xs.map((x, i) => [x, i]));
    const data = [xs];
    const record = {x: xs, series: {}};
    drawn.forEach(l => {
      const ys = new Array(xs.length).fill(null);
      l.x.forEach((x, i) => {
        const v = l.y[i];
        ys[at.get(x)] = v == null || (opts.log && v <= 0) ? null : v;
      });
      data.push(ys);
      record.series[l.label] = ys;
    });
    const series = [{label: xLabel}].concat(drawn.map((l, i) => ({
      label: l.label, stroke: l.color || color(l.index ?? i), width: 1.5, spanGaps: true, scale: l.scale || 'y',
      dash: l.dash, points: {show: xs.length < 40}})));
    const scales = {x: {time: false}, y: opts.log ? {distr: 3, log: 10} : opts.range ? {range: opts.range} : {}};
    const axes = [{label: xLabel, incrs: STEPS}, {label: yLabel, scale: 'y', size: 60}];
    if (opts.right) {
      scales.r = {range: opts.right.range};
      axes.push({label: opts.right.label, scale: 'r', side: 1, grid: {show: false}});
    }
    make(id, title, {scales, series, axes}, data, record);
  }

  /** Bars over a categorical axis: labels name the positions, groups = [{label, y: [...]}], side by side. */
  function bars(id, title, yLabel, labels, groups) {
    clear(id);
    if (!groups.length) { clear(id, `${title}: nothing recorded`); return; }
    const xs = labels.map((_, i) => i);
    // two groups (start, end): one bar left of each position, one right of it
    const series = [{label: 'bin'}].concat(groups.map((g, i) => ({
      label: g.label, stroke: color(i), fill: color(i) + '99', width: 1,
      paths: uPlot.paths.bars({size: [0.4, 40], align: groups.length === 1 ? 0 : (i === 0 ? -1 : 1)}),
      points: {show: false}})));
    const record = {x: labels, series: {}};
    groups.forEach(g => { record.series[g.label] = g.y; });
    make(id, title, {
      scales: {x: {time: false, range: [-0.6, labels.length - 0.4]}, y: {range: [0, 1]}},
      series,
      axes: [{values: (u, splits) => splits.map(s => Number.isInteger(s) ? labels[s] ?? '' : ''),
        splits: () => xs.filter(x => x % 3 === 0 || labels[x] === '0'), rotate: -45, size: 50},
      {label: yLabel, size: 50}],
    }, [xs].concat(groups.map(g => g.y)), record);
  }

  function make(id, title, options, data, record) {
    const el = document.getElementById(id);
    const width = Math.max(420, el.clientWidth - 10);
    charts[id] = new uPlot(Object.assign({title, width, height: 260, legend: {live: false}}, options), data, el);
    window.gsDrawn[id] = record;
    el.dataset.drawn = String(data[0].length);
  }

  return {lines, bars, clear, color};
})();
