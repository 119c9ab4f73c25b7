// screens writes a rendered page as a standalone HTML file for scripts/screens.sh to shoot with
// Chromium: the simulated DOM, the WXSS simulate compiled for it (with app.wxss, which simulate does not
// load), WeChat's built-in components made visible to a browser (input values and placeholders,
// images inlined, rich text, charts painted by their own layout code), and the navigation and tab bars
// WeChat draws around a page. Nothing is written unless SCREENS=1, so page tests may call it freely.
// The result is an approximation of WeChat's renderer for a person to look at, not a pixel check.
// It reads internals of miniprogram-simulate 1.6.2 and its exparser (src/wxss, the nodes' _vt attributes and
// $$ DOM elements), which the exact versions in package.json keep stable; a walk failing after an upgrade
// starts here.
const fs = require('fs');
const http = require('http');
const path = require('path');

const enabled = process.env.SCREENS === '1';
const root = path.resolve(__dirname, '../..');
const src = path.join(root, 'src');
const out = path.join(root, '.cache', 'screens');
const app = JSON.parse(fs.readFileSync(path.join(src, 'app.json'), 'utf8'));

/** Compiled WXSS per rendered component id, still in rpx (simulate turns rpx into px one to one). */
const rawCss = new Map();
if (enabled) {
  const wxss = require('miniprogram-simulate/src/wxss');
  const insert = wxss.insert;
  wxss.insert = (css, id) => {
    rawCss.set(id, [].concat(css).join('\n'));
    return insert(css, id);
  };
}

/** px turns rpx into CSS pixels on a 375 px wide phone (750 rpx = the screen's width). */
function px(css) {
  return String(css || '').replace(/(-?\d*\.?\d+)rpx/gi, (m, n) => `${+(Number(n) / 2).toFixed(3)}px`);
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const attr = (s) => esc(s).replace(/"/g, '&quot;');

/** appCss is app.wxss as WeChat applies it to a page: its classes with the page's prefix. */
function appCss() {
  const wxss = require('miniprogram-simulate/src/wxss');
  return px(wxss.compile(wxss.getContent(path.join(src, 'app.wxss')), { prefix: 'main' }));
}

/** fetchData gets a link from the test server as a data: URL (the server is gone when Chromium shoots). */
function fetchData(url) {
  return new Promise((resolve) => {
    http.get(url, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const type = res.headers['content-type'] || 'image/jpeg';
        resolve(res.statusCode === 200 ? `data:${type};base64,${Buffer.concat(chunks).toString('base64')}` : '');
      });
    }).on('error', () => resolve(''));
  });
}

/** inline returns an image source a browser can show offline: server links and the phone's files as data: URLs. */
async function inline(source, cache) {
  if (!source || source.startsWith('data:')) return source || '';
  if (!cache.has(source)) {
    if (/^https?:/.test(source)) cache.set(source, fetchData(source));
    else {
      const file = global.wx.__local(source);
      const type = /\.png$/i.test(file) ? 'image/png' : 'image/jpeg';
      cache.set(source, Promise.resolve(fs.existsSync(file) ? `data:${type};base64,${fs.readFileSync(file).toString('base64')}` : ''));
    }
  }
  return cache.get(source);
}

/** exparserNodes maps each DOM element of the page to the exparser node that made it (its attributes, its owner). */
function exparserNodes(page) {
  const map = new Map();
  const walk = (n) => {
    if (!n) return;
    if (n.$$) map.set(n.$$, n);
    for (const c of n.childNodes || []) walk(c);
    if (n.shadowRoot) walk(n.shadowRoot);
  };
  walk(page._exparserNode);
  return map;
}

/** sharedTags lists the components (by tag) whose JSON lets page and app styles reach inside them
 * (styleIsolation apply-shared or shared, as every TDesign component has). */
function sharedTags() {
  const tags = new Set();
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'miniprogram_npm') walk(p);
      } else if (e.name.endsWith('.json')) {
        for (const [tag, target] of Object.entries(JSON.parse(fs.readFileSync(p, 'utf8')).usingComponents || {})) {
          const file = /^[a-z]/.test(target) ? path.join(src, 'miniprogram_npm', target + '.json')
            : target.startsWith('/') ? path.join(src, target + '.json') : path.join(dir, target + '.json');
          const json = JSON.parse(fs.readFileSync(file, 'utf8'));
          const iso = json.styleIsolation || '';
          if (iso === 'apply-shared' || iso === 'shared' || (json.options && json.options.addGlobalClass)) tags.add(tag);
        }
      }
    }
  };
  walk(src);
  return tags;
}
const shared = enabled ? sharedTags() : new Set();

/** classesOf is el's class list, plus the page's form of the classes a style-sharing component uses
 * (simulate prefixes each component's classes with its tag; WeChat lets page styles reach these). */
function classesOf(el, n) {
  const list = (el.getAttribute('class') || '').trim().split(/\s+/).filter(Boolean);
  const host = n && n.ownerShadowRoot && n.ownerShadowRoot.getHostNode && n.ownerShadowRoot.getHostNode();
  const prefix = host && host.__componentOptions && host.__componentOptions.classPrefix;
  if (prefix && shared.has(prefix)) {
    for (const c of [...list]) if (c.startsWith(prefix + '--')) list.push('main--' + c.slice(prefix.length + 2));
  }
  return list.join(' ');
}

const attrsOf = (n) => {
  const a = {};
  for (const { name, value } of (n && n._vt && n._vt.attrs) || []) a[name] = value;
  return a;
};

/** richHTML is rich-text's nodes as HTML: a string as it is, WeChat's node array ({name, attrs, children} or
 * {type: 'text', text}) turned into tags. */
function richHTML(nodes) {
  if (typeof nodes === 'string') return nodes;
  if (!Array.isArray(nodes)) return '';
  return nodes.map((n) => {
    if (!n) return '';
    if (n.type === 'text') return esc(n.text || '');
    const attrs = Object.entries(n.attrs || {}).map(([k, v]) => ` ${k}="${attr(v)}"`).join('');
    return `<${n.name}${attrs}>${richHTML(n.children || [])}</${n.name}>`;
  }).join('');
}

/** OBJECT_FIT is WeChat's image mode as CSS. */
const OBJECT_FIT = { aspectFill: 'cover', aspectFit: 'contain', scaleToFill: 'fill', widthFix: 'fill', heightFix: 'fill' };

/** serialize writes the DOM under el as HTML a browser renders like WeChat would. */
async function serialize(el, nodes, images) {
  if (el.nodeType === 3) return esc(el.textContent);
  if (el.nodeType !== 1) return '';
  const tag = el.tagName.toLowerCase();
  const n = nodes.get(el);
  const a = attrsOf(n);
  if (a.hidden) return '';
  let head = tag;
  const cls = classesOf(el, n);
  if (cls) head += ` class="${attr(cls)}"`;
  const style = a.style !== undefined ? px(a.style) : el.getAttribute('style');
  if (style) head += ` style="${attr(style)}"`;
  if (n && n.id) head += ` data-id="${attr(n.id)}"`;
  let inner = '';
  if (tag === 'wx-input' || tag === 'wx-textarea') {
    const value = a.value === undefined || a.value === null ? '' : String(a.value);
    if (value) inner = `<span class="ss-value">${esc(a.password ? '•'.repeat(value.length) : value)}</span>`;
    else inner = `<span class="ss-placeholder">${esc(a.placeholder || '')}</span>`;
  } else if (tag === 'wx-image') {
    const data = await inline(a.src, images);
    if (a.mode === 'widthFix') head += ' data-mode="widthFix"';
    if (data) inner = `<img src="${data}" style="object-fit:${OBJECT_FIT[a.mode] || 'fill'}" alt="">`;
  } else if (tag === 'wx-rich-text') {
    let html = richHTML(a.nodes).replace(/<script[\s\S]*?<\/script>/gi, '');
    for (const m of [...html.matchAll(/\ssrc="([^"]+)"/g)]) {
      html = html.replace(m[0], ` src="${await inline(m[1].replace(/&amp;/g, '&'), images)}"`);
    }
    inner = html;
  } else if (tag === 'wx-canvas') {
    // The chart component's own figures, painted in the browser by its layout code (see the script below).
    const host = n && n.ownerShadowRoot && n.ownerShadowRoot.getHostNode();
    const d = host && host.data;
    if (d && Array.isArray(d.series)) {
      const fig = { type: d.type, labels: d.labels, series: d.series };
      return `<canvas${head.slice(tag.length)} data-chart="${attr(JSON.stringify(fig))}"></canvas>`;
    }
  } else {
    for (const c of el.childNodes) inner += await serialize(c, nodes, images);
  }
  return `<${head}>${inner}</${tag}>`;
}

/** BASE gives WeChat's built-in components their default look and maps the fonts a phone has to the ones installed. */
const BASE = `
@font-face { font-family: "PingFang SC"; src: local("WenQuanYi Micro Hei"); }
@font-face { font-family: "Microsoft YaHei"; src: local("WenQuanYi Micro Hei"); }
@font-face { font-family: "Arial Regular"; src: local("WenQuanYi Micro Hei"); }
html, body { margin: 0; padding: 0; }
body { width: 375px; font-family: "PingFang SC", "WenQuanYi Micro Hei", sans-serif; -webkit-font-smoothing: antialiased; }
body.ss-has-tab { padding-bottom: 84px; }
page { display: block; min-height: 100vh; font-size: 16px; line-height: 1.4; }
main { display: block; }
wx-view, wx-picker, wx-rich-text, wx-form { display: block; }
wx-scroll-view { display: block; width: 100%; overflow: hidden; }
wx-label { display: inline; }
wx-text { display: inline; white-space: pre-wrap; }
wx-image { display: inline-block; overflow: hidden; width: 320px; height: 240px; position: relative; vertical-align: top; }
wx-image > img { display: block; width: 100%; height: 100%; }
wx-image[data-mode="widthFix"] { height: auto; }
wx-image[data-mode="widthFix"] > img { height: auto; }
wx-button { position: relative; display: block; margin-left: auto; margin-right: auto; padding-left: 14px; padding-right: 14px; box-sizing: border-box;
  font-size: 18px; text-align: center; text-decoration: none; line-height: 2.55555556; border-radius: 5px; overflow: hidden; color: #000;
  background-color: #f8f8f8; }
wx-button::after { content: " "; width: 200%; height: 200%; position: absolute; top: 0; left: 0; border: 1px solid rgba(0, 0, 0, 0.2);
  transform: scale(0.5); transform-origin: 0 0; box-sizing: border-box; border-radius: 10px; }
wx-input { display: block; overflow: hidden; white-space: nowrap; min-height: 1.4em; line-height: 1.4em; }
wx-textarea { display: block; white-space: pre-wrap; word-break: break-all; min-height: 1.4em; }
wx-canvas, canvas { display: block; width: 300px; height: 150px; }
.ss-placeholder { color: rgba(0, 0, 0, 0.4); }
.ss-status { position: fixed; top: 0; left: 0; right: 0; height: 44px; background: #fff; z-index: 10; display: flex; align-items: center;
  justify-content: space-between; padding: 0 22px 0 30px; font: 600 15px/1 "WenQuanYi Micro Hei", sans-serif; color: #000; }
.ss-battery { width: 22px; height: 10px; border: 1.5px solid #000; border-radius: 3px; position: relative; }
.ss-battery::after { content: ""; position: absolute; left: 1.5px; top: 1.5px; bottom: 1.5px; width: 70%; background: #000; border-radius: 1px; }
.ss-nav { position: fixed; top: 44px; left: 0; right: 0; height: 44px; background: #fff; z-index: 10; display: flex; align-items: center;
  justify-content: center; font: 600 17px/1 "WenQuanYi Micro Hei", sans-serif; color: #000; }
.ss-back { position: absolute; left: 12px; top: 12px; width: 11px; height: 11px; border-left: 2.5px solid #000; border-bottom: 2.5px solid #000;
  transform: rotate(45deg); }
.ss-capsule { position: absolute; right: 7px; top: 6px; width: 87px; height: 32px; box-sizing: border-box; border: 0.5px solid #ddd;
  border-radius: 16px; display: flex; align-items: center; }
.ss-capsule::before { content: "•••"; flex: 1; text-align: center; font-size: 12px; letter-spacing: 1px; }
.ss-capsule::after { content: ""; width: 14px; height: 14px; margin: 0 14px 0 10px; border: 2px solid #000; border-radius: 50%; box-sizing: border-box; }
.ss-capsule i { position: absolute; left: 43px; top: 8px; height: 16px; border-left: 0.5px solid #ddd; }
.ss-tabbar { position: fixed; left: 0; right: 0; bottom: 0; height: 84px; background: #fff; border-top: 0.5px solid #ddd; z-index: 10;
  display: flex; align-items: flex-start; }
.ss-tab { flex: 1; text-align: center; font: 14px/50px "WenQuanYi Micro Hei", sans-serif; color: #666; position: relative; }
.ss-tab.ss-on { color: #0052d9; }
.ss-badge { position: absolute; top: 6px; margin-left: 2px; min-width: 16px; height: 16px; padding: 0 4px; box-sizing: border-box; border-radius: 8px;
  background: #fa5151; color: #fff; font: 11px/16px sans-serif; }
`;

/** ICONS stands in for TDesign's icon font, which TDesign loads from its CDN at run time: the glyphs these
 * pages use are drawn, any other is left blank rather than shown as a missing-glyph box. Placed after
 * the components' WXSS so that it wins over their glyph rules. */
const svg = (body) => `url("data:image/svg+xml,${encodeURIComponent(`<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' fill='none' stroke='black' stroke-width='2' stroke-linecap='round'>${body}</svg>`)}")`;
const ICONS = `
[class*="t-icon--t-icon-"]::before { content: "" !important; display: inline-block; width: 1em; height: 1em; vertical-align: -0.125em;
  background-color: currentColor; -webkit-mask: none; }
.t-icon--t-icon-base:not([class*="t-icon--t-icon-chevron-right"]):not([class*="t-icon--t-icon-search"]):not([class*="t-icon--t-icon-close-circle"])::before
  { background-color: transparent; }
.t-icon--t-icon-chevron-right::before { -webkit-mask: ${svg("<path d='M9 5l7 7-7 7'/>")} center / contain no-repeat; }
.t-icon--t-icon-search::before { -webkit-mask: ${svg("<circle cx='10.5' cy='10.5' r='6.5'/><path d='M15.5 15.5L20 20'/>")} center / contain no-repeat; }
.t-icon--t-icon-close-circle-filled::before { -webkit-mask: ${svg("<circle cx='12' cy='12' r='9'/><path d='M9 9l6 6M15 9l-6 6'/>")} center / contain no-repeat; }
`;

/** SCRIPT paints each chart with the chart component's own layout and paint functions (as chart.js does on a phone). */
function script(scroll) {
  const layout = fs.readFileSync(path.join(src, 'pages/stats/chart/layout.js'), 'utf8');
  return `<script>
(function () { var module = { exports: {} };
${layout}
var chart = module.exports, dpr = window.devicePixelRatio || 2;
document.querySelectorAll('canvas[data-chart]').forEach(function (c) {
  var fig = JSON.parse(c.getAttribute('data-chart')), w = c.clientWidth, h = c.clientHeight;
  c.width = w * dpr; c.height = h * dpr;
  var ctx = c.getContext('2d'); ctx.scale(dpr, dpr);
  chart.paint(ctx, chart.layout(fig.type, fig.labels, fig.series, w, h));
});
// TDesign places the tabs' underline from measured sizes, which the simulator has none of.
document.querySelectorAll('.t-tabs--t-tabs__track').forEach(function (t) {
  var active = t.parentElement.querySelector('.t-tabs--t-tabs__item--active');
  if (!active) return;
  var a = active.getBoundingClientRect(), p = t.parentElement.getBoundingClientRect();
  t.style.opacity = 1;
  t.style.transform = 'translateX(' + (a.left - p.left + (a.width - t.offsetWidth) / 2) + 'px)';
});
// A page scrolled to an element (with the section title above it): the content moves up under the fixed
// bars, as it would on the phone.
var to = ${JSON.stringify(scroll || '')};
if (to) {
  var el = document.querySelector('[data-id="' + to + '"]'), page = document.querySelector('page');
  // The screen is 812 px tall; the window may not have its final size yet when this runs.
  if (el) page.style.marginTop = -Math.max(0, Math.min(el.getBoundingClientRect().top - 136, page.offsetHeight - 812)) + 'px';
}
// A long screenshot is as tall as the page; screens.sh reads this before it shoots.
document.body.setAttribute('data-height', Math.ceil(document.documentElement.scrollHeight));
})();
</script>`;
}

/** titleOf is the title WeChat shows above the page: the last one the page set, else its JSON's, else the app's. */
function titleOf(route) {
  const set = (global.wx.__calls || []).filter((c) => c.api === 'setNavigationBarTitle').pop();
  if (set) return set.title;
  const json = JSON.parse(fs.readFileSync(path.join(src, route + '.json'), 'utf8'));
  return json.navigationBarTitleText || app.window.navigationBarTitleText;
}

/** tabBar draws the tab bar on a tab page, with the badge the app last set. */
function tabBar(route) {
  const tabs = app.tabBar.list;
  if (!tabs.some((t) => t.pagePath === route)) return '';
  const badges = {};
  for (const c of global.wx.__calls || []) {
    if (c.api === 'setTabBarBadge') badges[c.index] = c.text;
    if (c.api === 'removeTabBarBadge') delete badges[c.index];
  }
  return `<div class="ss-tabbar">${tabs.map((t, i) => `<div class="ss-tab${t.pagePath === route ? ' ss-on' : ''}">${esc(t.text)}${
    badges[i] ? `<span class="ss-badge">${esc(badges[i])}</span>` : ''}</div>`).join('')}</div>`;
}

/**
 * shot writes page (rendered from route) to .cache/screens/<name>.html when SCREENS=1.
 * @param {any} page the rendered page (harness.openPage)
 * @param {string} name file name, e.g. 'home-inspector'
 * @param {string} route e.g. 'pages/home/index'
 * @param {{caption?: string, scroll?: string, title?: string, full?: boolean}} [opts] scroll: the id of an element to
 *   scroll to the top; full: a long screenshot (the whole page) rather than one phone screen
 */
async function shot(page, name, route, opts = {}) {
  if (!enabled) return;
  const id = page._exparserNode.is;
  if (!rawCss.has(id)) throw new Error(`screens: no WXSS recorded for ${route}; was it rendered with simulate?`);
  const images = new Map();
  const body = await serialize(page.dom, exparserNodes(page), images);
  const tab = tabBar(route);
  const first = route === app.pages[0] || tab;
  const html = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=375">
<title>${esc(opts.caption || name)}</title>
<style>${BASE}</style>
<style>${appCss()}</style>
<style>${px(rawCss.get(id))}</style>
<style>${ICONS}</style>
</head><body class="${tab ? 'ss-has-tab' : ''}"${opts.full ? ' data-full' : ''}>
<div class="ss-status"><span>9:41</span><span class="ss-battery"></span></div>
<div class="ss-nav">${first ? '' : '<span class="ss-back"></span>'}<span>${esc(opts.title || titleOf(route))}</span><span class="ss-capsule"><i></i></span></div>
<page style="padding-top: 88px">${body}</page>
${tab}
${script(opts.scroll)}
</body></html>
`;
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, name + '.html'), html);
}

module.exports = { shot, enabled };
