// layout turns a chart's figures into shapes (rectangles, lines, texts) in CSS pixels, and paint
// draws them on a canvas 2d context. Kept apart from the component so that the geometry is tested
// without a canvas.

const AXIS = '#bbbbbb';
const TEXT = '#666666';

/**
 * @typedef {{name: string, values: number[], color: string}} Series
 * @typedef {{kind: 'rect', x: number, y: number, w: number, h: number, color: string} |
 *   {kind: 'line', points: number[][], color: string, width: number} |
 *   {kind: 'text', x: number, y: number, text: string, color: string, align: string, size: number}} Shape
 */

/** num is v as a finite, non-negative number (anything else counts as 0). */
function num(v) {
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** niceMax rounds the largest figure up to a tidy axis maximum (1, 2, 5 × 10^n). */
function niceMax(m) {
  if (m <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(m)));
  for (const k of [1, 2, 5, 10]) if (k * p >= m) return k * p;
  return 10 * p;
}

/** short cuts a label to n characters for the axis. */
function short(s, n) {
  s = String(s == null ? '' : s);
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

/**
 * layout returns the shapes of a chart: 'bar' (grouped columns), 'line' (one line per series) or
 * 'hbar' (horizontal bars, series stacked: one row per label).
 * @param {string} type @param {string[]} labels @param {Series[]} series @param {number} width @param {number} height
 * @returns {Shape[]}
 */
function layout(type, labels, series, width, height) {
  labels = Array.isArray(labels) ? labels : [];
  series = (Array.isArray(series) ? series : []).filter((s) => s && Array.isArray(s.values));
  /** @type {Shape[]} */
  const out = [];
  if (!labels.length || !series.length || !(width > 0) || !(height > 0)) return out;
  const text = (x, y, t, align = 'center', color = TEXT, size = 10) => out.push({ kind: 'text', x, y, text: t, color, align, size });
  if (type === 'hbar') {
    const left = 96;
    const right = 28;
    const row = (height - 8) / labels.length;
    const totals = labels.map((_, i) => series.reduce((s, se) => s + num(se.values[i]), 0));
    const max = niceMax(Math.max(...totals));
    const scale = (width - left - right) / max;
    labels.forEach((l, i) => {
      const y = 4 + i * row;
      text(left - 6, y + row / 2 + 4, short(l, 7), 'right');
      let x = left;
      for (const se of series) {
        const w = num(se.values[i]) * scale;
        if (w > 0) out.push({ kind: 'rect', x, y: y + row * 0.15, w, h: row * 0.7, color: se.color });
        x += w;
      }
      text(x + 4, y + row / 2 + 4, String(totals[i]), 'left');
    });
    return out;
  }
  const left = 30;
  const bottom = 22;
  const top = 10;
  const plotH = height - top - bottom;
  const plotW = width - left - 8;
  const max = niceMax(Math.max(...series.flatMap((s) => labels.map((_, i) => num(s.values[i])))));
  const y = (v) => top + plotH - (num(v) / max) * plotH;
  out.push({ kind: 'line', points: [[left, top], [left, top + plotH], [left + plotW, top + plotH]], color: AXIS, width: 1 });
  for (const f of [0.5, 1]) text(left - 4, y(max * f) + 4, String(max * f), 'right');
  const step = plotW / labels.length;
  const every = Math.max(1, Math.ceil(labels.length / 6)); // at most about six axis labels
  labels.forEach((l, i) => {
    if (i % every === 0) text(left + step * (i + 0.5), height - 6, short(l, 6));
  });
  if (type === 'line') {
    for (const se of series) {
      out.push({ kind: 'line', points: labels.map((_, i) => [left + step * (i + 0.5), y(se.values[i])]), color: se.color, width: 2 });
    }
    return out;
  }
  const bw = (step * 0.7) / series.length;
  labels.forEach((_, i) => {
    series.forEach((se, k) => {
      const top0 = y(se.values[i]);
      const h = top + plotH - top0;
      if (h > 0) out.push({ kind: 'rect', x: left + step * i + step * 0.15 + k * bw, y: top0, w: bw, h, color: se.color });
    });
  });
  return out;
}

/** paint draws shapes on a canvas 2d context. @param {any} ctx @param {Shape[]} shapes */
function paint(ctx, shapes) {
  for (const s of shapes) {
    if (s.kind === 'rect') {
      ctx.fillStyle = s.color;
      ctx.fillRect(s.x, s.y, s.w, s.h);
    } else if (s.kind === 'line') {
      ctx.strokeStyle = s.color;
      ctx.lineWidth = s.width;
      ctx.beginPath();
      s.points.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
      ctx.stroke();
    } else {
      ctx.fillStyle = s.color;
      ctx.font = `${s.size}px sans-serif`;
      ctx.textAlign = s.align;
      ctx.fillText(s.text, s.x, s.y);
    }
  }
}

module.exports = { layout, paint, niceMax };
