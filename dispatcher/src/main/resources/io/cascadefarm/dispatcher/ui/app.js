/*
 * Cascade Farm dashboard: plain JavaScript, no build step, no dependencies. Every call goes to the
 * API of this origin with the user's key (Authorization: Bearer), kept in localStorage. Live
 * updates read the API's Server-Sent Events through fetch (EventSource cannot send the key).
 */
'use strict';

const KEY_STORE = 'cascadefarm.apiKey';
const STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
const view = document.getElementById('view');
const banner = document.getElementById('banner');
let page = null; // { abort: AbortController, timers: [] } of the page on screen

// ---------------------------------------------------------------- small helpers

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function chip(status, text) {
  return el('span', { class: 'chip s-' + status, 'data-status': status }, text || status);
}

function fmtTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString();
}

function fmtAgo(seconds) {
  if (seconds === undefined || seconds === null) return '';
  if (seconds < 90) return Math.round(seconds) + ' s ago';
  if (seconds < 5400) return Math.round(seconds / 60) + ' min ago';
  return Math.round(seconds / 3600) + ' h ago';
}

function fmtDuration(seconds) {
  if (seconds === undefined || seconds === null) return '—';
  if (seconds < 90) return Math.round(seconds) + ' s';
  if (seconds < 5400) return Math.round(seconds / 60) + ' min';
  return (seconds / 3600).toFixed(1) + ' h';
}

function short(id) {
  return String(id).slice(0, 8);
}

function render(...nodes) {
  view.replaceChildren(...nodes);
}

function emptyState(text, action) {
  return el('div', { class: 'empty' }, el('p', {}, text), action || null);
}

function errorState(err) {
  const box = el('div', { class: 'error-box', role: 'alert', id: 'error' });
  box.append(el('strong', {}, err.title || 'Something went wrong'), el('p', {}, err.message || String(err)));
  return box;
}

function later(fn, ms) {
  const p = page;
  const t = setTimeout(() => { if (p === page) fn(); }, ms);
  if (p) p.timers.push(t);
}

function every(fn, ms) {
  const t = setInterval(fn, ms);
  if (page) page.timers.push(t);
}

// ---------------------------------------------------------------- API access

class ApiError extends Error {
  constructor(status, title, message, body) {
    super(message);
    this.status = status;
    this.title = title;
    this.body = body;
  }
}

function apiKey() {
  return localStorage.getItem(KEY_STORE) || '';
}

async function api(path, options) {
  const opts = Object.assign({ method: 'GET' }, options || {});
  const headers = Object.assign({ Accept: 'application/json' }, opts.headers || {});
  const key = apiKey();
  if (key) headers.Authorization = 'Bearer ' + key;
  if (opts.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(opts.json);
  }
  let res;
  try {
    res = await fetch(path, { method: opts.method, headers, body: opts.body, signal: opts.signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'Cannot reach the farm', 'The API at ' + location.origin + ' does not answer (' + e.message + '). Is the dispatcher running?');
  }
  if (opts.raw && res.ok) return res;
  const text = res.status === 204 ? '' : await res.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
  if (!res.ok) throw apiError(res.status, body, text);
  return body;
}

function apiError(status, body, text) {
  const message = (body && body.error && body.error.message) || text || ('HTTP ' + status);
  if (status === 401) {
    const had = !!apiKey();
    showKeyProblem(had);
    return new ApiError(401, had ? 'API key refused' : 'API key needed',
      had ? 'The farm refused this API key: it is unknown, revoked or expired. Enter another key.'
          : 'This farm needs an API key. Enter one with the API key button.', body);
  }
  if (status === 403) {
    return new ApiError(403, 'Not allowed with this key', message, body);
  }
  if (status === 404) return new ApiError(404, 'Not found', message, body);
  if (status === 429) return new ApiError(429, 'Too many requests', message, body);
  if (status >= 500) {
    return new ApiError(status, 'The farm is degraded', message + ' (HTTP ' + status + '; retry shortly)', body);
  }
  return new ApiError(status, 'Request refused', message, body);
}

/** Result image n of a job as an object URL (the image route needs the key, so no plain src). */
async function imageUrl(jobId, n, signal) {
  const res = await api('/v1/jobs/' + jobId + '/images/' + n, { raw: true, signal, headers: { Accept: 'image/png' } });
  return URL.createObjectURL(await res.blob());
}

const imageQueue = [];
let imagesLoading = 0;

function loadImage(img, jobId, n) {
  const p = page;
  imageQueue.push(async () => {
    if (p !== page) return;
    try {
      img.src = await imageUrl(jobId, n, p.abort.signal);
      img.classList.add('loaded');
    } catch (e) {
      if (e.name !== 'AbortError') img.alt = 'image unavailable: ' + e.message;
    }
  });
  pumpImages();
}

function pumpImages() {
  while (imagesLoading < 4 && imageQueue.length) {
    const job = imageQueue.shift();
    imagesLoading++;
    job().finally(() => { imagesLoading--; pumpImages(); });
  }
}

/**
 * Follows /v1/events as Server-Sent Events through fetch, calling onEvent(type, data); reconnects
 * after 3 s until the page changes.
 */
function follow(query, onEvent) {
  const p = page;
  const run = async () => {
    while (p === page) {
      try {
        const res = await api('/v1/events?' + query, { raw: true, signal: p.abort.signal, headers: { Accept: 'text/event-stream' } });
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += decoder.decode(value, { stream: true });
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            let type = 'message';
            const data = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) type = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
            }
            if (data.length) {
              try { onEvent(type, JSON.parse(data.join('\n'))); } catch (e) { /* a malformed event is skipped */ }
            }
          }
        }
      } catch (e) {
        if (e.name === 'AbortError' || p !== page) return;
        if (e.status === 401 || e.status === 404 || e.status === 403) return;
      }
      await new Promise((r) => setTimeout(r, 3000));
    }
  };
  run();
}

/** Calls fn at most once per ms (trailing). */
function debounce(fn, ms) {
  let t = null;
  return () => {
    if (t) return;
    t = setTimeout(() => { t = null; fn(); }, ms);
  };
}

// ---------------------------------------------------------------- key, banner, health

function showKeyProblem(hadKey) {
  banner.className = 'banner error';
  banner.dataset.kind = 'key';
  banner.textContent = hadKey
    ? 'The farm refused your API key (unknown, revoked or expired). Enter a valid key.'
    : 'This farm needs an API key: enter it above (API key).';
  document.getElementById('key-panel').classList.remove('hidden');
}

function setupKeyPanel() {
  const panel = document.getElementById('key-panel');
  const input = document.getElementById('key-input');
  document.getElementById('key-button').addEventListener('click', () => {
    panel.classList.toggle('hidden');
    input.value = apiKey();
    input.focus();
  });
  document.getElementById('key-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    localStorage.setItem(KEY_STORE, input.value.trim());
    panel.classList.add('hidden');
    banner.className = 'banner hidden';
    banner.dataset.kind = '';
    updateWhoami();
    route();
  });
  document.getElementById('key-forget').addEventListener('click', () => {
    localStorage.removeItem(KEY_STORE);
    input.value = '';
    updateWhoami();
    route();
  });
}

function updateWhoami() {
  const k = apiKey();
  document.getElementById('whoami').textContent = k ? 'key ' + k.slice(0, 6) + '…' : 'no API key';
}

async function checkHealth() {
  const out = document.getElementById('health');
  try {
    const res = await fetch('/readyz', { headers: { Accept: 'application/json' } });
    const body = await res.json().catch(() => ({}));
    const degraded = (body.degraded || []).filter(Boolean);
    if (!res.ok) {
      out.textContent = 'farm unready';
      setDegraded('The farm is degraded: ' + Object.entries(body.checks || {}).filter(([, v]) => v !== 'ok').map(([k, v]) => k + ' ' + v).join(', ') + '. Jobs may not be accepted.');
    } else if (degraded.length) {
      out.textContent = 'farm degraded';
      setDegraded('The farm is degraded (' + degraded.join(', ') + ' unavailable): jobs are accepted and wait until it is back.');
    } else {
      out.textContent = 'farm ready';
      clearDegraded();
    }
  } catch (e) {
    out.textContent = 'farm unreachable';
    setDegraded('Cannot reach the farm at ' + location.origin + '.');
  }
}

function setDegraded(text) {
  if (banner.dataset.kind === 'key') return;
  banner.className = 'banner';
  banner.dataset.kind = 'degraded';
  banner.id = 'banner';
  banner.textContent = text;
}

function clearDegraded() {
  if (banner.dataset.kind === 'degraded') {
    banner.className = 'banner hidden';
    banner.dataset.kind = '';
  }
}

// ---------------------------------------------------------------- batches list

function progressBar(done, total, failed) {
  const bar = el('div', { class: 'bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100 });
  const fill = el('div', { class: 'fill' });
  const bad = el('div', { class: 'fill failed' });
  bar.append(fill, bad);
  const pct = el('span', { class: 'pct' });
  const update = (d, t, f) => {
    const p = t ? Math.floor((100 * d) / t) : 100;
    fill.style.width = (t ? (100 * (d - f)) / t : 100) + '%';
    bad.style.left = (t ? (100 * (d - f)) / t : 0) + '%';
    bad.style.width = (t ? (100 * f) / t : 0) + '%';
    bar.setAttribute('aria-valuenow', String(p));
    bar.dataset.percent = String(p);
    pct.textContent = p + ' %';
  };
  update(done, total, failed);
  return { bar, pct, update };
}

function finishedOf(b) {
  const c = b.counts || {};
  return (c.succeeded || 0) + (c.failed || 0) + (c.cancelled || 0);
}

function countChips(b, batchId, selected) {
  const wrap = el('div', { class: 'counts' });
  for (const s of STATUSES) {
    const n = (b.counts || {})[s] || 0;
    if (batchId) {
      wrap.append(el('a', { class: 'chip s-' + s + (selected === s ? ' selected' : ''), href: '#/batch/' + batchId + '?status=' + s, 'data-count': s }, s + ' ' + n));
    } else if (n > 0) {
      wrap.append(chip(s, s + ' ' + n));
    }
  }
  return wrap;
}

async function batchesPage() {
  render(el('h1', {}, 'Batches'), el('p', { class: 'muted' }, 'Loading…'));
  let data;
  try {
    data = await api('/v1/batches?limit=30', { signal: page.abort.signal });
  } catch (e) {
    if (e.name === 'AbortError') return;
    if (e.status === 404 || e.status === 405) {
      render(el('h1', {}, 'Batches'), emptyState('This farm cannot list batches yet (GET /v1/batches is missing). Open a batch by its id:', batchOpener()));
      return;
    }
    render(el('h1', {}, 'Batches'), errorState(e));
    return;
  }
  const batches = data.batches || data.items || data.data || [];
  const head = el('div', { class: 'row spread' }, el('h1', {}, 'Batches'), el('a', { href: '#/submit' }, el('button', { type: 'button' }, 'New batch')));
  if (!batches.length) {
    render(head, emptyState('No batches yet.', el('a', { href: '#/submit' }, 'Submit the first one')), batchOpener());
    return;
  }
  const list = el('div', { id: 'batches' });
  let streams = 0;
  for (const b of batches) {
    const done = finishedOf(b);
    const pb = progressBar(done, b.job_count, (b.counts || {}).failed || 0);
    pb.bar.dataset.batch = b.id;
    const chips = countChips(b);
    const card = el('div', { class: 'card batch', 'data-batch': b.id },
      el('div', { class: 'row spread' },
        el('a', { href: '#/batch/' + b.id, class: 'batch-link' }, el('strong', {}, 'Batch ' + short(b.id))),
        el('span', { class: 'muted' }, b.job_count + ' jobs · ' + fmtTime(b.created_at))),
      el('div', { class: 'row' }, pb.bar, pb.pct),
      chips);
    list.append(card);
    if (!b.done && streams < 8) {
      streams++;
      const refresh = debounce(async () => {
        try {
          const nb = await api('/v1/batches/' + b.id, { signal: page.abort.signal });
          pb.update(finishedOf(nb), nb.job_count, (nb.counts || {}).failed || 0);
          chips.replaceWith(countChipsInto(chips, nb));
        } catch (e) { /* next event retries */ }
      }, 400);
      follow('batch=' + b.id, (type) => { if (type !== 'progress') refresh(); });
    }
  }
  render(head, list, batchOpener());
}

function countChipsInto(old, b, batchId, selected) {
  const fresh = countChips(b, batchId, selected);
  old.replaceChildren(...fresh.childNodes);
  return old;
}

function batchOpener() {
  const input = el('input', { id: 'open-batch', placeholder: 'batch or job id', 'aria-label': 'batch or job id' });
  const form = el('form', { class: 'row card', onsubmit: (ev) => {
    ev.preventDefault();
    const id = input.value.trim();
    if (id) location.hash = '#/open/' + id;
  } }, input, el('button', { type: 'submit', class: 'ghost' }, 'Open'));
  return form;
}

async function openPage(id) {
  try {
    await api('/v1/batches/' + id, { signal: page.abort.signal });
    location.replace('#/batch/' + id);
  } catch (e) {
    location.replace('#/job/' + id);
  }
}

// ---------------------------------------------------------------- batch detail

async function batchPage(id, params) {
  const status = params.get('status') || '';
  render(el('h1', {}, 'Batch ' + short(id)), el('p', { class: 'muted' }, 'Loading…'));
  let b;
  try {
    b = await api('/v1/batches/' + id, { signal: page.abort.signal });
  } catch (e) {
    if (e.name !== 'AbortError') render(el('h1', {}, 'Batch ' + short(id)), errorState(e));
    return;
  }
  const pb = progressBar(finishedOf(b), b.job_count, b.counts.failed || 0);
  pb.bar.id = 'batch-progress';
  pb.bar.dataset.batch = id;
  pb.pct.id = 'batch-progress-text';
  const chips = countChips(b, id, status);
  const msg = el('p', { class: 'muted', id: 'batch-message' });
  const retry = el('button', { type: 'button', id: 'retry-failed', onclick: async () => {
    retry.disabled = true;
    try {
      const r = await api('/v1/batches/' + id + '/retry', { method: 'POST' });
      msg.textContent = 'Re-queued ' + r.requeued + ' failed job(s).';
      refresh();
    } catch (e) { msg.textContent = e.title + ': ' + e.message; }
    retry.disabled = false;
  } }, 'Retry failed');
  const cancel = el('button', { type: 'button', class: 'danger', id: 'cancel-batch', onclick: async () => {
    if (!confirm('Cancel every unfinished job of this batch?')) return;
    try {
      const r = await api('/v1/batches/' + id + '/cancel', { method: 'POST' });
      msg.textContent = 'Cancelled ' + (r.cancelled !== undefined ? r.cancelled : '') + ' job(s).';
      refresh();
    } catch (e) { msg.textContent = e.title + ': ' + e.message; }
  } }, 'Cancel batch');
  const filters = el('div', { class: 'counts' },
    el('a', { class: 'chip' + (status ? '' : ' selected'), href: '#/batch/' + id }, 'all ' + b.job_count));
  const grid = el('div', { class: 'grid', id: 'job-grid' });
  const more = el('button', { type: 'button', class: 'ghost hidden', id: 'more-jobs' }, 'More');
  render(
    el('div', { class: 'row spread' }, el('h1', {}, 'Batch ' + short(id)), el('span', { class: 'muted' }, fmtTime(b.created_at))),
    el('div', { class: 'card' }, el('div', { class: 'row' }, pb.bar, pb.pct), chips, filters,
      el('div', { class: 'row' }, retry, cancel), msg),
    grid, more);
  const buttons = () => {
    retry.disabled = !(b.counts.failed > 0);
    cancel.disabled = b.done;
  };
  buttons();
  const tiles = new Map();
  let after = null;
  const loadJobs = async (reset) => {
    const q = new URLSearchParams({ limit: '60' });
    if (status) q.set('status', status);
    if (!reset && after) q.set('after', after);
    try {
      const p = await api('/v1/batches/' + id + '/jobs?' + q, { signal: page.abort.signal });
      const jobs = p.jobs || p.items || [];
      if (reset) { grid.replaceChildren(); tiles.clear(); }
      for (const j of jobs) upsertTile(grid, tiles, j);
      after = p.next || (jobs.length ? jobs[jobs.length - 1].id : null);
      more.classList.toggle('hidden', !p.next);
      if (!grid.childNodes.length) grid.append(el('div', { class: 'empty' }, status ? 'No ' + status + ' jobs.' : 'No jobs.'));
    } catch (e) {
      if (e.name !== 'AbortError') grid.replaceChildren(errorState(e));
    }
  };
  more.addEventListener('click', () => loadJobs(false));
  const refresh = debounce(async () => {
    try {
      b = await api('/v1/batches/' + id, { signal: page.abort.signal });
      pb.update(finishedOf(b), b.job_count, b.counts.failed || 0);
      countChipsInto(chips, b, id, status);
      buttons();
      await loadJobs(true);
    } catch (e) { /* the next event retries */ }
  }, 500);
  await loadJobs(true);
  if (!b.done) {
    follow('batch=' + id, (type) => { if (type !== 'progress') refresh(); });
    every(() => { if (!b.done) refresh(); }, 10000);
  }
}

function upsertTile(grid, tiles, j) {
  const old = tiles.get(j.id);
  if (old && old.dataset.status === j.status) return;
  const thumb = el('div', { class: 'thumb' });
  const tile = el('a', { class: 'tile', href: '#/job/' + j.id, 'data-job': j.id, 'data-status': j.status },
    thumb, el('div', { class: 'cap' }, el('span', { title: j.params && j.params.prompt }, (j.params && j.params.prompt) || short(j.id)), chip(j.status)));
  if (j.status === 'succeeded' && j.result && j.result.images && j.result.images.length && !j.result.expired) {
    const img = el('img', { alt: 'result of job ' + short(j.id), loading: 'lazy' });
    thumb.append(img);
    loadImage(img, j.id, 0);
  } else if (j.status === 'failed') {
    thumb.textContent = (j.error && j.error.code) || 'failed';
  } else if (j.status === 'running' && j.progress) {
    thumb.textContent = j.progress.stage + ' ' + j.progress.step + '/' + j.progress.steps;
  } else {
    thumb.textContent = j.status;
  }
  if (old) old.replaceWith(tile); else grid.append(tile);
  tiles.set(j.id, tile);
}

// ---------------------------------------------------------------- job detail

async function jobPage(id) {
  render(el('h1', {}, 'Job ' + short(id)), el('p', { class: 'muted' }, 'Loading…'));
  let j;
  try {
    j = await api('/v1/jobs/' + id, { signal: page.abort.signal });
  } catch (e) {
    if (e.name !== 'AbortError') render(el('h1', {}, 'Job ' + short(id)), errorState(e));
    return;
  }
  const statusChip = el('span', { id: 'job-status' });
  const progress = el('p', { id: 'job-progress', class: 'muted' });
  const msg = el('p', { class: 'muted', id: 'job-message' });
  const info = el('dl', { class: 'kv', id: 'job-info' });
  const params = el('dl', { class: 'kv', id: 'job-params' });
  const errorBox = el('div', { id: 'job-error' });
  const images = el('div', { class: 'images', id: 'job-images' });
  const preview = el('div', { id: 'job-preview', class: 'card hidden' });
  const previewCaption = el('p', { class: 'muted', id: 'preview-caption' });
  const previewImage = el('img', { alt: 'live preview', id: 'preview-image', class: 'hidden' });
  preview.append(previewCaption, previewImage);
  let previewStep = null;
  let previewBusy = false;
  let previewAgain = false;
  const live = () => j.status === 'queued' || j.status === 'running';
  const wantsPreview = () => Number((j.params || {}).preview_every || 0) > 0;
  const clearPreview = () => {
    if (previewImage.src.startsWith('blob:')) URL.revokeObjectURL(previewImage.src);
    previewImage.removeAttribute('src');
    previewImage.classList.remove('loaded');
    previewImage.classList.add('hidden');
  };
  /** The latest live preview (GET /v1/jobs/{id}/preview needs the key: fetched, shown as a blob). */
  const loadPreview = async () => {
    if (previewBusy) { previewAgain = true; return; }
    previewBusy = true;
    try {
      const res = await api('/v1/jobs/' + id + '/preview', { raw: true, signal: page.abort.signal, headers: { Accept: 'image/png' } });
      const url = URL.createObjectURL(await res.blob());
      if (!live()) { URL.revokeObjectURL(url); return; }
      const old = previewImage.src;
      previewImage.src = url;
      previewImage.dataset.step = previewStep || '';
      previewImage.classList.remove('hidden');
      previewImage.classList.add('loaded');
      if (old.startsWith('blob:')) URL.revokeObjectURL(old);
      previewCaption.textContent = 'Live preview' + (previewStep ? ' after Stage C step ' + previewStep : '') + ' (the result replaces it when the job is done)';
    } catch (e) {
      if (e.name !== 'AbortError' && e.status !== 404) previewCaption.textContent = 'Live preview unavailable: ' + e.message;
    } finally {
      previewBusy = false;
      if (previewAgain) { previewAgain = false; loadPreview(); }
    }
  };
  const history = el('div', { class: 'table-wrap', id: 'job-history' });
  const retry = el('button', { type: 'button', id: 'retry-job', onclick: async () => {
    retry.disabled = true;
    try {
      const r = await api('/v1/jobs/' + id + '/retry' + (j.status === 'cancelled' ? '?include_cancelled=true' : ''), { method: 'POST' });
      msg.textContent = r.requeued ? 'Re-queued with a fresh attempt budget.' : 'Nothing to retry.';
      reload();
    } catch (e) { msg.textContent = e.title + ': ' + e.message; retry.disabled = false; }
  } }, 'Retry');
  const cancel = el('button', { type: 'button', class: 'danger', id: 'cancel-job', onclick: async () => {
    try {
      j = await api('/v1/jobs/' + id + '/cancel', { method: 'POST' });
      msg.textContent = 'Cancelled.';
      show();
    } catch (e) { msg.textContent = e.title + ': ' + e.message; }
  } }, 'Cancel');
  const show = () => {
    statusChip.replaceChildren(chip(j.status));
    retry.disabled = !(j.status === 'failed' || j.status === 'cancelled');
    cancel.disabled = !(j.status === 'queued' || j.status === 'running');
    const p = j.params || {};
    info.replaceChildren(
      ...kv('status', j.status), ...kv('attempts', j.attempts + ' of ' + j.max_attempts),
      ...kv('seed', p.seed), ...kv('worker', j.worker || '—'),
      ...kv('batch', j.batch_id ? el('a', { href: '#/batch/' + j.batch_id }, short(j.batch_id)) : '—'),
      ...kv('created', fmtTime(j.created_at)), ...kv('started', fmtTime(j.started_at) || '—'),
      ...kv('finished', fmtTime(j.finished_at) || '—'));
    params.replaceChildren(...Object.entries(p).flatMap(([k, v]) => kv(k, typeof v === 'object' ? JSON.stringify(v) : String(v))));
    errorBox.replaceChildren();
    if (j.error) {
      errorBox.append(el('div', { class: 'error-box' }, el('strong', {}, j.error.code), el('p', {}, j.error.message),
        el('p', { class: 'muted' }, j.error.retryable ? 'retryable' : 'not retryable')));
    }
    progress.textContent = j.status === 'running' && j.progress ? 'Rendering: ' + j.progress.stage + ' step ' + j.progress.step + ' of ' + j.progress.steps : '';
    preview.classList.toggle('hidden', !live());
    if (!live()) {
      clearPreview();
    } else if (!wantsPreview()) {
      previewCaption.textContent = 'No live preview: the job was submitted without preview_every.';
    } else if (!previewImage.classList.contains('loaded')) {
      previewCaption.textContent = 'Live preview: waiting for the first one (every ' + j.params.preview_every + ' Stage C steps).';
    }
    images.replaceChildren();
    const list = (j.result && j.result.images) || [];
    if (j.result && j.result.expired) images.append(el('p', { class: 'muted' }, 'The results expired (farm.results.ttl).'));
    list.forEach((im, n) => {
      if (!im.url && j.result.expired) return;
      const img = el('img', { class: 'result-image', alt: 'image ' + n + ' of job ' + short(id), width: im.width, height: im.height });
      const link = el('a', { href: '#', onclick: (ev) => { ev.preventDefault(); if (img.src) window.open(img.src, '_blank'); } }, img);
      images.append(el('figure', {}, link, el('figcaption', { class: 'muted' }, im.width + '×' + im.height + ' · seed ' + im.seed)));
      loadImage(img, id, n);
    });
  };
  const loadHistory = async () => {
    try {
      const h = await api('/v1/jobs/' + id + '/transitions', { signal: page.abort.signal });
      const rows = (h.transitions || []).map((t) => el('tr', {},
        el('td', {}, fmtTime(t.at)), el('td', {}, t.event), el('td', {}, (t.from || '') + ' → ' + (t.to || '')),
        el('td', {}, t.worker ? el('a', { href: '#/workers' }, t.worker) : '—'), el('td', {}, t.reason || '')));
      history.replaceChildren(el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'when'), el('th', {}, 'event'), el('th', {}, 'move'), el('th', {}, 'worker'), el('th', {}, 'reason'))), el('tbody', {}, rows)));
    } catch (e) {
      if (e.name !== 'AbortError') history.replaceChildren(el('p', { class: 'muted' }, 'History unavailable: ' + e.message));
    }
  };
  const reload = debounce(async () => {
    try {
      j = await api('/v1/jobs/' + id, { signal: page.abort.signal });
      show();
      loadHistory();
    } catch (e) { /* next event retries */ }
  }, 300);
  render(
    el('div', { class: 'row spread' }, el('h1', {}, 'Job ' + short(id)), statusChip),
    el('div', { class: 'card' }, info, progress, el('div', { class: 'row' }, retry, cancel), msg),
    errorBox, preview,
    el('h2', {}, 'Images'), images,
    el('h2', {}, 'Parameters'), el('div', { class: 'card' }, params),
    el('h2', {}, 'Transitions'), history);
  show();
  loadHistory();
  if (live() && wantsPreview()) loadPreview();
  // SSE carries the changes; a slow poll while the job is not final covers a dropped stream
  every(() => { if (j.status === 'queued' || j.status === 'running') reload(); }, 5000);
  follow('job=' + id, (type, data) => {
    if ((type === 'progress' || type === 'preview') && data.progress) {
      progress.textContent = 'Rendering: ' + data.progress.stage + ' step ' + data.progress.step + ' of ' + data.progress.steps;
    }
    if (type === 'preview' && data.preview) {
      if (j.status === 'queued') reload(); // the snapshot was older than the job's start
      previewStep = data.preview.step + ' of ' + data.preview.steps;
      loadPreview();
    } else if (type !== 'snapshot' && type !== 'progress') {
      reload();
    }
  });
}

function kv(k, v) {
  return [el('dt', {}, k), el('dd', { 'data-field': k }, v === undefined || v === null ? '—' : v)];
}

// ---------------------------------------------------------------- submit form

let schemaCache = null;

async function jobSchema() {
  if (schemaCache) return schemaCache;
  try {
    const doc = await fetch('/openapi.json').then((r) => r.json());
    schemaCache = (doc.components && doc.components.schemas && doc.components.schemas.JobRequest) || {};
  } catch (e) {
    schemaCache = {};
  }
  return schemaCache;
}

async function submitPage() {
  const schema = await jobSchema();
  const props = schema.properties || {};
  const modelProp = props.model || {};
  let models = modelProp.enum || ['tiny', 'lite', 'big'];
  try {
    const m = await api('/v1/models', { signal: page.abort.signal });
    const names = (m.models || m || []).map((x) => (typeof x === 'string' ? x : x.name)).filter(Boolean);
    if (names.length) models = names;
  } catch (e) { /* GET /v1/models is optional */ }
  const field = (id, label, input) => el('div', {}, el('label', { for: id }, label), input);
  const model = el('select', { id: 'model', name: 'model' }, models.map((m) => el('option', { value: m, selected: m === modelProp.default }, m)));
  const fields = [
    el('div', { class: 'wide' }, el('label', { for: 'prompt' }, 'Prompt'), el('textarea', { id: 'prompt', rows: 3, required: true, maxlength: (props.prompt || {}).maxLength })),
    el('div', { class: 'wide' }, el('label', { for: 'negative' }, 'Negative prompt'), el('textarea', { id: 'negative', rows: 2 })),
    field('width', 'Width (px, multiple of 8)', el('input', { id: 'width', type: 'number', min: 64, step: 8, value: 1024 })),
    field('height', 'Height (px, multiple of 8)', el('input', { id: 'height', type: 'number', min: 64, step: 8, value: 1024 })),
    field('count', 'Count (jobs in the batch)', el('input', { id: 'count', type: 'number', min: 1, max: 10000, value: 4 })),
    field('model', 'Model', model),
    field('seed', 'Seed (empty: random; job i gets seed + i)', el('input', { id: 'seed', type: 'number', min: 0 })),
  ];
  const hasPriority = !!props.priority;
  if (hasPriority) {
    const pr = props.priority;
    fields.push(field('priority', 'Priority', pr.enum
      ? el('select', { id: 'priority' }, pr.enum.map((v) => el('option', { value: v, selected: v === pr.default }, v)))
      : el('input', { id: 'priority', type: 'number', min: pr.minimum, max: pr.maximum, value: pr.default })));
  }
  const hasPreview = !!props.preview_every;
  if (hasPreview) {
    fields.push(field('preview-every', 'Live preview every N Stage C steps (empty: off)',
      el('input', { id: 'preview-every', type: 'number', min: 0, max: props.preview_every.maximum })));
  }
  const msg = el('div', { id: 'submit-message', class: 'wide' });
  const button = el('button', { type: 'submit', id: 'submit-btn' }, 'Submit batch');
  const form = el('form', { class: 'submit card', id: 'submit-form', onsubmit: async (ev) => {
    ev.preventDefault();
    button.disabled = true;
    msg.replaceChildren(el('p', { class: 'muted' }, 'Submitting…'));
    const value = (id) => document.getElementById(id).value.trim();
    const defaults = { model: value('model'), width: Number(value('width')), height: Number(value('height')) };
    if (value('negative')) defaults.negative_prompt = value('negative');
    if (hasPriority && value('priority') !== '') {
      defaults.priority = props.priority.enum ? value('priority') : Number(value('priority'));
    }
    if (hasPreview && value('preview-every') !== '') defaults.preview_every = Number(value('preview-every'));
    const count = Math.max(1, Number(value('count')) || 1);
    const seed = value('seed');
    const jobs = [];
    for (let i = 0; i < count; i++) {
      const job = { prompt: value('prompt') };
      if (seed !== '') job.seed = Number(seed) + i;
      jobs.push(job);
    }
    try {
      const r = await api('/v1/batches', { method: 'POST', json: { defaults, jobs } });
      location.hash = '#/batch/' + r.id;
    } catch (e) {
      const fieldsList = (e.body && e.body.error && e.body.error.fields) || [];
      msg.replaceChildren(errorState(e), ...fieldsList.map((f) => el('p', { class: 'muted' }, f.field + ': ' + f.message)));
      button.disabled = false;
    }
  } }, fields, el('div', { class: 'wide row' }, button), msg);
  render(el('h1', {}, 'Submit a batch'), form);
}

// ---------------------------------------------------------------- workers

async function workersPage() {
  render(el('h1', {}, 'Workers'), el('p', { class: 'muted' }, 'Loading…'));
  const msg = el('p', { id: 'workers-message', class: 'muted' });
  const table = el('div', { class: 'table-wrap', id: 'workers' });
  const summary = el('div', { class: 'counts', id: 'worker-counts' });
  const load = async () => {
    let data;
    try {
      data = await api('/v1/workers', { signal: page.abort.signal });
    } catch (e) {
      if (e.name === 'AbortError') return;
      if (e.status === 403) {
        render(el('h1', {}, 'Workers'), emptyState('The workers registry needs an API key with the admin scope (farm keys create --scopes submit,read,admin).'));
      } else {
        render(el('h1', {}, 'Workers'), errorState(e));
      }
      return false;
    }
    const workers = data.workers || [];
    summary.replaceChildren(...Object.entries(data.counts || {}).map(([s, n]) => chip(s, s + ' ' + n)));
    if (!workers.length) {
      table.replaceChildren(emptyState('No worker has registered yet. Start one with farm worker --config farm-data/farm.properties.'));
      return true;
    }
    const rows = workers.map((w) => {
      const action = w.drained || w.state === 'quarantined' || w.state === 'draining' || w.state === 'drained'
        ? el('button', { type: 'button', class: 'release', 'data-worker': w.id, onclick: () => act(w.id, 'release') }, 'Release')
        : el('button', { type: 'button', class: 'drain danger', 'data-worker': w.id, disabled: w.state === 'gone' || w.state === 'stopped', onclick: () => act(w.id, 'drain') }, 'Drain');
      return el('tr', { 'data-worker': w.id, 'data-state': w.state },
        el('td', {}, el('strong', {}, w.id), el('div', { class: 'muted' }, w.host + ' · pid ' + w.pid)),
        el('td', { class: 'state' }, chip(w.state), w.state_reason ? el('div', { class: 'muted reason' }, w.state_reason) : null),
        el('td', { class: 'hide-narrow' }, (w.devices || []).join(', '), el('div', { class: 'muted' }, w.precision)),
        el('td', { class: 'hide-narrow' }, (w.models || []).join(', ') || '—'),
        el('td', { class: 'hide-narrow' }, w.numerics && w.numerics.passed === false ? chip('failed', 'failed') : w.numerics && w.numerics.passed ? chip('succeeded', 'passed') : chip('queued', 'pending')),
        el('td', {}, (w.current_jobs || []).map((id) => el('div', {}, el('a', { href: '#/job/' + id }, short(id))))),
        el('td', {}, w.succeeded + ' / ' + w.failed, w.consecutive_failures ? el('div', { class: 'muted' }, w.consecutive_failures + ' failed in a row') : null),
        el('td', { class: 'hide-narrow' }, fmtAgo(w.seconds_since_heartbeat)),
        el('td', {}, action));
    });
    table.replaceChildren(el('table', {},
      el('thead', {}, el('tr', {}, ['worker', 'state', 'devices', 'models', 'self-check', 'current jobs', 'ok / failed', 'heartbeat', ''].map((h) => el('th', {}, h)))),
      el('tbody', {}, rows)));
    return true;
  };
  const act = async (id, what) => {
    try {
      const w = await api('/v1/workers/' + encodeURIComponent(id) + '/' + what, { method: 'POST' });
      msg.textContent = (what === 'drain' ? 'Drain requested for ' : 'Released ') + id + ' (now ' + w.state + '; the worker reacts within its registry interval).';
      await load();
    } catch (e) { msg.textContent = e.title + ': ' + e.message; }
  };
  if (await load() === false) return;
  render(el('div', { class: 'row spread' }, el('h1', {}, 'Workers'), summary), msg, table,
    el('p', { class: 'muted' }, 'A worker is quarantined automatically when its failed jobs keep succeeding on other workers; Drain holds it out of service after its current jobs, Release puts it back.'));
  every(load, 3000);
}

// ---------------------------------------------------------------- queue

function stat(label, value, id) {
  return el('div', { class: 'stat', id: id || null }, el('span', { class: 'muted' }, label), el('b', {}, value));
}

async function queuePage() {
  render(el('h1', {}, 'Queue'), el('p', { class: 'muted' }, 'Loading…'));
  const own = el('div', { class: 'cards', id: 'queue-cards' });
  const farm = el('div', { id: 'farm-queues' });
  const load = async () => {
    try {
      const q = await api('/v1/queue', { signal: page.abort.signal });
      own.replaceChildren(
        stat('queued (new)', q.lanes.new, 'lane-new'), stat('queued (retry lane)', q.lanes.retry, 'lane-retry'),
        stat('running', q.running), stat('done last ' + Math.round(q.window_seconds / 60) + ' min', q.succeeded_recently + ' ok · ' + q.failed_recently + ' failed'),
        stat('throughput', q.throughput_per_minute + ' /min'), stat('ETA', q.eta_seconds === undefined ? 'unknown' : fmtDuration(q.eta_seconds), 'eta'));
    } catch (e) {
      if (e.name !== 'AbortError') own.replaceChildren(errorState(e));
      return;
    }
    try {
      const f = await api('/v1/admin/queues', { signal: page.abort.signal });
      const rows = (f.tenants || []).map((t) => el('tr', {}, el('td', {}, t.tenant), el('td', {}, t.lanes.new), el('td', {}, t.lanes.retry),
        el('td', {}, t.running), el('td', {}, t.throughput_per_minute), el('td', {}, t.eta_seconds === undefined ? '—' : fmtDuration(t.eta_seconds))));
      const lag = Object.entries(f.kafka_lag || {}).map(([k, v]) => chip('queued', k + ': ' + v));
      farm.replaceChildren(el('h2', {}, 'Every tenant (admin)'),
        rows.length ? el('div', { class: 'table-wrap' }, el('table', {}, el('thead', {}, el('tr', {}, ['tenant', 'new', 'retry', 'running', 'per min', 'ETA'].map((h) => el('th', {}, h)))), el('tbody', {}, rows))) : emptyState('No unfinished or recent jobs.'),
        el('h2', {}, 'Kafka lanes (messages not yet consumed)'), lag.length ? el('div', { class: 'counts' }, lag) : el('p', { class: 'muted' }, 'unknown'));
    } catch (e) {
      farm.replaceChildren(e.status === 403 ? el('p', { class: 'muted' }, 'Every tenant\'s queues need an admin key.') : el('p', { class: 'muted' }, e.message || ''));
    }
  };
  render(el('h1', {}, 'Queue'), own, farm);
  await load();
  every(load, 5000);
}

// ---------------------------------------------------------------- router

function route() {
  if (page) {
    page.abort.abort();
    page.timers.forEach((t) => { clearTimeout(t); clearInterval(t); });
  }
  imageQueue.length = 0;
  page = { abort: new AbortController(), timers: [] };
  const hash = location.hash.replace(/^#\/?/, '') || 'batches';
  const [path, query] = hash.split('?');
  const parts = path.split('/');
  const params = new URLSearchParams(query || '');
  const section = parts[0];
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', a.dataset.nav === (section === 'batch' || section === 'job' ? 'batches' : section));
  }
  const run = {
    batches: () => batchesPage(),
    batch: () => batchPage(parts[1], params),
    job: () => jobPage(parts[1]),
    open: () => openPage(parts[1]),
    submit: () => submitPage(),
    workers: () => workersPage(),
    queue: () => queuePage(),
  }[section];
  const notFound = () => render(emptyState('No such page.', el('a', { href: '#/batches' }, 'Batches')));
  Promise.resolve()
    .then(run || notFound)
    .catch((e) => { if (e.name !== 'AbortError') render(errorState(e)); });
}

setupKeyPanel();
updateWhoami();
window.addEventListener('hashchange', route);
route();
checkHealth();
setInterval(checkHealth, 15000);
