// The explorer page: sweeps, a heatmap over two grid axes with the others as filters, a cell's trials, one trial's
// curves. It polls /api/progress (cheap: a listing of committed trials parts) and reloads what it shows whenever
// the server's views change, i.e. when a batch has been committed.
'use strict';

const params = new URLSearchParams(location.search);
const POLL_MS = Number(params.get('poll') || 1000);
const state = {sweep: null, axes: [], x: null, y: null, metric: 'accuracy', filters: {}, cell: null, trial: null,
  version: -1, live: null};
const TRIALS_SHOWN = 1000; // the server's LIMIT on a cell's trials (UiSql.cell)
const METRICS = ['accuracy', 'loss', 'grad_ratio', 'diagnosis'];
const DIAGNOSIS_COLORS = {healthy: '#4caf50', vanishing: '#3b82f6', exploding: '#f97316', stalled: '#9e9e9e',
  diverged: '#b91c1c', failed: '#111111'};
const $ = id => document.getElementById(id);
// ms from navigation to the first heatmap, and from a trial's click to its last chart: what docs/ui.md reports
window.gsTimings = {};

async function api(path, query = {}) {
  const url = new URL(path, location.href);
  Object.entries(query).forEach(([k, v]) => url.searchParams.set(k, v));
  const response = await fetch(url);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function showError(e) {
  $('error').hidden = !e;
  $('error').textContent = e ? String(e.message || e) : '';
}

function fmt(v) {
  if (v == null) return '–';
  if (typeof v !== 'number') return String(v);
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4)) return v.toExponential(2);
  return Number.isInteger(v) ? String(v) : v.toFixed(3);
}

function el(tag, attrs = {}, text) {
  const e = document.createElement(tag);
  Object.entries(attrs).forEach(([k, v]) => k.startsWith('data-') ? e.setAttribute(k, v) : (e[k] = v));
  if (text != null) e.textContent = text;
  return e;
}

// ---- live progress -------------------------------------------------------------------------------------------

async function poll() {
  try {
    const p = await api('/api/progress');
    renderProgress(p);
    if (p.version !== state.version) {
      state.version = p.version;
      await reload();
    }
    showError(p.error);
  } catch (e) {
    $('progress').querySelector('.text').textContent = 'server not answering (did the run finish?)';
  }
  setTimeout(poll, POLL_MS);
}

function renderProgress(p) {
  const box = $('progress');
  box.dataset.parts = p.parts;
  box.dataset.version = p.version;
  const live = p.live;
  state.live = live;
  if (!live) {
    box.querySelector('.bar').hidden = true;
    box.querySelector('.text').textContent = `${p.parts} committed part${p.parts === 1 ? '' : 's'}`;
    return;
  }
  box.dataset.done = live.done;
  box.dataset.total = live.total;
  box.querySelector('.fill').style.width = `${(100 * live.done / Math.max(1, live.total)).toFixed(1)}%`;
  const eta = live.eta_s == null ? 'ETA –' : live.done >= live.total ? 'done' : `ETA ${Math.round(live.eta_s)} s`;
  box.querySelector('.text').textContent = `${live.sweep}: ${live.done}/${live.total} trials · ${eta}`;
}

// ---- sweeps and grid -----------------------------------------------------------------------------------------

async function reload() {
  const sweeps = await api('/api/sweeps');
  renderSweeps(sweeps);
  if (!sweeps.length) {
    $('heatmap').innerHTML = '<tr><td class="muted">No batch committed yet.</td></tr>';
    return;
  }
  if (!sweeps.some(s => s.sweep === state.sweep)) {
    const live = state.live && sweeps.find(s => s.sweep === state.live.sweep);
    state.sweep = (live || sweeps[0]).sweep;
    state.filters = {};
    state.cell = null;
  }
  markSelected();
  state.axes = await api('/api/axes', {sweep: state.sweep});
  chooseAxes();
  renderControls();
  await drawGrid();
  if (state.cell) await loadTrials();
}

function renderSweeps(sweeps) {
  const body = $('sweeps').tBodies[0];
  body.innerHTML = '';
  sweeps.forEach(s => {
    const tr = el('tr', {'data-sweep': s.sweep, 'data-trials': s.trials});
    const counts = o => Object.entries(o).map(([k, n]) => `${k} ${n}`).join(', ');
    [s.sweep, s.trials, counts(s.status), counts(s.diagnosis)].forEach(v => tr.append(el('td', {}, String(v))));
    tr.onclick = () => { state.sweep = s.sweep; state.filters = {}; state.cell = null; state.x = state.y = null;
      hideTrial(); reload().catch(showError); };
    body.append(tr);
  });
}

function markSelected() {
  [...$('sweeps').tBodies[0].rows].forEach(r => r.classList.toggle('selected', r.dataset.sweep === state.sweep));
}

/** Keeps the chosen axes while they exist; else the first two that vary (all axes when fewer vary). */
function chooseAxes() {
  const names = state.axes.map(a => a.axis);
  const varying = state.axes.filter(a => a.values.length > 1).map(a => a.axis);
  const pool = varying.length >= 2 ? varying : names;
  if (!names.includes(state.x)) state.x = pool[0];
  if (!names.includes(state.y) || state.y === state.x) state.y = pool.find(a => a !== state.x);
  Object.keys(state.filters).forEach(a => {
    const axis = state.axes.find(x => x.axis === a);
    if (!axis || !axis.values.includes(state.filters[a]) || a === state.x || a === state.y) delete state.filters[a];
  });
}

function select(id, options, value, onChange) {
  const s = el('select', {id});
  options.forEach(o => s.append(el('option', {value: o.value ?? o, selected: (o.value ?? o) === value}, o.label ?? o)));
  s.onchange = () => onChange(s.value);
  return s;
}

function renderControls() {
  const box = $('controls');
  box.innerHTML = '';
  const names = state.axes.map(a => a.axis);
  const labelled = (text, control) => { const l = el('label', {}, text); l.append(control); return l; };
  const redraw = () => { state.cell = null; $('cell-section').hidden = true; renderControls(); drawGrid().catch(showError); };
  box.append(labelled('x', select('axis-x', names, state.x, v => { state.x = v; chooseAxes(); redraw(); })));
  box.append(labelled('y', select('axis-y', names, state.y, v => { state.y = v; chooseAxes(); redraw(); })));
  box.append(labelled('colour', select('metric', METRICS, state.metric, v => { state.metric = v; redraw(); })));
  state.axes.filter(a => a.values.length > 1 && a.axis !== state.x && a.axis !== state.y).forEach(a => {
    const options = [{value: '', label: 'all'}].concat(a.values);
    box.append(labelled(a.axis, select(`filter-${a.axis}`, options, state.filters[a.axis] ?? '', v => {
      if (v === '') delete state.filters[a.axis]; else state.filters[a.axis] = v;
      redraw();
    })));
  });
}

async function drawGrid() {
  const {x, y, metric} = state;
  const grid = await api('/api/grid', Object.assign({sweep: state.sweep, x, y, metric}, state.filters));
  const xs = state.axes.find(a => a.axis === x).values;
  const ys = state.axes.find(a => a.axis === y).values;
  const byKey = new Map(grid.cells.map(c => [c.x + '\u0000' + c.y, c]));
  const colour = scale(metric, grid.cells.map(c => c.value));
  const table = $('heatmap');
  table.innerHTML = '';
  const head = el('tr');
  head.append(el('th', {className: 'axis'}, `${y} \\ ${x}`));
  xs.forEach(v => head.append(el('th', {}, v)));
  table.append(head);
  ys.forEach(yv => {
    const tr = el('tr');
    tr.append(el('th', {}, yv));
    xs.forEach(xv => {
      const c = byKey.get(xv + '\u0000' + yv);
      const td = el('td', {className: 'cell', 'data-x': xv, 'data-y': yv, 'data-n': c ? c.n : 0,
        'data-value': c && c.value != null ? c.value : ''});
      if (!c) {
        td.classList.add('empty');
      } else {
        const [background, text] = colour(c.value);
        td.style.background = background;
        td.style.color = text;
        td.textContent = fmt(c.value);
        td.title = `${x}=${xv}, ${y}=${yv}: ${c.n} trials, mostly ${c.diagnosis}`;
        td.onclick = () => { state.cell = {x: xv, y: yv}; loadTrials().catch(showError); };
      }
      if (state.cell && state.cell.x === xv && state.cell.y === yv) td.classList.add('selected');
      tr.append(td);
    });
    table.append(tr);
  });
  table.dataset.loaded = [state.sweep, x, y, metric, state.version].join('|');
  window.gsTimings.grid ??= performance.now();
  $('grid-title').textContent = `${metric} by ${x} × ${y} (${grid.cells.reduce((n, c) => n + c.n, 0)} trials)`;
}

/** Colour of a cell's value: categories for diagnosis, a blue-yellow ramp (log for gradient ratios) otherwise. */
function scale(metric, values) {
  const legend = $('legend');
  legend.innerHTML = '';
  if (metric === 'diagnosis') {
    Object.entries(DIAGNOSIS_COLORS).forEach(([k, c]) => {
      const row = el('div'); row.append(el('span', {className: 'swatch'})); row.lastChild.style.background = c;
      row.append(k); legend.append(row);
    });
    return v => [DIAGNOSIS_COLORS[v] || '#ddd', v === 'failed' || v === 'diverged' ? '#fff' : '#111'];
  }
  const log = metric === 'grad_ratio';
  const t = v => log ? Math.log10(v) : v;
  const finite = values.filter(v => v != null && (!log || v > 0)).map(t);
  const lo = Math.min(...finite), hi = Math.max(...finite);
  const ramp = f => `hsl(${220 - 170 * f} 70% ${35 + 35 * f}%)`; // dark blue (low) to yellow (high)
  legend.append(el('div', {}, `${metric}${log ? ' (log scale)' : ''}`));
  [[hi, 1], [lo, 0]].forEach(([v, f]) => {
    if (!finite.length) return;
    const row = el('div'); row.append(el('span', {className: 'swatch'})); row.lastChild.style.background = ramp(f);
    row.append(fmt(log ? 10 ** v : v)); legend.append(row);
  });
  return v => {
    if (v == null || (log && v <= 0) || !finite.length) return ['#ddd', '#111'];
    const f = hi > lo ? (t(v) - lo) / (hi - lo) : 0.5;
    return [ramp(f), f < 0.45 ? '#fff' : '#111'];
  };
}

// ---- a cell's trials -----------------------------------------------------------------------------------------

async function loadTrials() {
  const {x, y} = state;
  const query = Object.assign({sweep: state.sweep}, state.filters, {[x]: state.cell.x, [y]: state.cell.y});
  const trials = await api('/api/trials', query);
  [...$('heatmap').querySelectorAll('td.cell')].forEach(td =>
    td.classList.toggle('selected', td.dataset.x === state.cell.x && td.dataset.y === state.cell.y));
  $('cell-section').hidden = false;
  $('cell-title').textContent = `${x}=${state.cell.x}, ${y}=${state.cell.y}` +
    Object.entries(state.filters).map(([k, v]) => `, ${k}=${v}`).join('') +
    (trials.length >= TRIALS_SHOWN ? ` (the first ${TRIALS_SHOWN} by trial index)` : '');
  const varying = state.axes.filter(a => a.values.length > 1).map(a => a.axis);
  const columns = ['trial_index'].concat(varying, ['status', 'diagnosis', 'accuracy', 'loss', 'grad_ratio']);
  const head = $('trials').tHead;
  head.innerHTML = '';
  const hr = el('tr'); columns.forEach(c => hr.append(el('th', {}, c))); head.append(hr);
  const body = $('trials').tBodies[0];
  body.innerHTML = '';
  trials.forEach(t => {
    const tr = el('tr', {className: 'trial', 'data-id': t.trial_id});
    columns.forEach(c => tr.append(el('td', {}, varying.includes(c) ? String(t[c]) : fmt(t[c]))));
    tr.classList.toggle('selected', t.trial_id === state.trial);
    tr.onclick = () => loadTrial(t.trial_id).catch(showError);
    body.append(tr);
  });
  $('trials').dataset.loaded = String(trials.length);
}

// ---- one trial -----------------------------------------------------------------------------------------------

function hideTrial() {
  state.trial = null;
  $('trial-section').hidden = true;
  $('cell-section').hidden = true;
}

async function loadTrial(id) {
  const start = performance.now();
  const data = await api('/api/trial', {sweep: state.sweep, id});
  state.trial = id;
  [...$('trials').tBodies[0].rows].forEach(r => r.classList.toggle('selected', r.dataset.id === id));
  $('trial-section').hidden = false;
  const t = data.trial;
  $('trial-title').textContent = `#${t.trial_index} (${t.trial_id})`;
  $('trial-config').textContent = state.axes.map(a => `${a.axis}=${t[a.axis] ?? '–'}`).join(' · ') +
    ` · ${t.status}, ${t.diagnosis}`;
  const layers = (list, key, scale) => list.map(l => ({label: `layer ${l.layer}`, index: l.layer, x: l.iteration,
    y: l[key], scale}));
  GsCharts.lines('chart-grad-std', 'std(∂L/∂W) per layer', 'iteration', 'std', layers(data.gradients, 'std'),
    {log: true});
  GsCharts.lines('chart-preact-std', 'std(∂L/∂s) per layer (pre-activations)', 'iteration', 'std',
    layers(data.activations, 'preact_std'), {log: true});
  GsCharts.lines('chart-grad-mean', 'mean(∂L/∂W) per layer', 'iteration', 'mean', layers(data.gradients, 'mean'));
  drawEpochs(data.epochs);
  const saturation = data.activations.flatMap(l => [
    {label: `saturated, layer ${l.layer}`, index: l.layer, x: l.iteration, y: l.saturated},
    {label: `dead, layer ${l.layer}`, index: l.layer, x: l.iteration, y: l.dead, dash: [5, 4]}]);
  GsCharts.lines('chart-saturation', 'saturated (solid) and dead (dashed) fraction', 'iteration', 'fraction',
    saturation, {range: [0, 1]});
  const steps = data.timesteps.map((l, i) => ({label: `layer ${l.layer}, iteration ${l.iteration}`, index: i,
    x: l.t, y: l.l2}));
  if (steps.length) {
    GsCharts.lines('chart-timesteps', '‖∂L/∂h_t‖ per time step', 't', 'L2', steps, {log: true});
  } else {
    GsCharts.clear('chart-timesteps', 'Time-step gradients: recurrent trials only');
  }
  drawHistograms(data.histograms);
  window.gsTimings.trial = performance.now() - start;
}

function drawEpochs(e) {
  if (!e.epoch) { GsCharts.clear('chart-epochs', 'loss and accuracy: nothing recorded'); return; }
  const lines = [
    {label: 'train loss', x: e.epoch, y: e.train_loss, color: '#1f77b4'},
    {label: 'test loss', x: e.epoch, y: e.test_loss, color: '#1f77b4', dash: [5, 4]},
    {label: 'train accuracy', x: e.epoch, y: e.train_accuracy, color: '#d62728', scale: 'r'},
    {label: 'test accuracy', x: e.epoch, y: e.test_accuracy, color: '#d62728', dash: [5, 4], scale: 'r'}];
  GsCharts.lines('chart-epochs', 'loss and accuracy per epoch', 'epoch', 'loss',
    lines.filter(l => l.y && l.y.some(v => v != null)), {right: {label: 'accuracy', range: [0, 1]}});
}

/** The histograms table's (sign, bin) pairs on one signed log axis: negative decades, zero, positive decades. */
const BINS = 15;
const position = (sign, bin) => sign === 0 ? BINS : sign < 0 ? BINS - 1 - bin : BINS + 1 + bin;
function binLabels() {
  const decade = i => { const e = i - 10; return e >= -2 && e <= 2 ? String(10 ** e) : `1e${e}`; };
  const labels = [];
  for (let p = 0; p < 2 * BINS + 1; p++) {
    if (p === BINS) { labels.push('0'); continue; }
    const bin = Math.abs(p - BINS) - 1;
    const minus = p < BINS ? '-' : '';
    labels.push(bin === 0 ? (minus ? '>-1e-10' : '<1e-10') : minus + decade(bin - 1));
  }
  return labels;
}

function drawHistograms(histograms) {
  const layers = [...new Set(histograms.map(h => h.layer))].sort((a, b) => a - b);
  const chooser = $('hist-layer');
  const keep = Number(chooser.value);
  chooser.innerHTML = '';
  layers.forEach(l => chooser.append(el('option', {value: l, selected: l === keep}, String(l))));
  const draw = () => {
    const layer = Number(chooser.value);
    ['weight', 'gradient'].forEach(kind => {
      const mine = histograms.filter(h => h.kind === kind && h.layer === layer);
      const groups = mine.map(h => {
        const y = new Array(2 * BINS + 1).fill(0);
        h.sign.forEach((s, i) => { y[position(s, h.bin[i])] += h.fraction[i]; });
        return {label: h.after_epochs === 0 ? 'start' : `after epoch ${h.after_epochs}`, y};
      });
      GsCharts.bars(`chart-hist-${kind}`, `${kind === 'weight' ? 'W' : '∂L/∂W'}, layer ${layer}`, 'fraction',
        binLabels(), groups);
    });
  };
  chooser.onchange = draw;
  if (layers.length) draw();
  else ['weight', 'gradient'].forEach(k => GsCharts.clear(`chart-hist-${k}`, 'no distributions recorded'));
}

poll();
