// harness drives pages as a person would: open a page on a phone, type, tap, wait for the screen, and
// make fixtures through the API. Reusable by every page test (see miniprogram/README.md).
const fs = require('fs');
const http = require('http');
const path = require('path');
const simulate = require('miniprogram-simulate');
const { createWx } = require('./wx-node');

const src = path.resolve(__dirname, '../../src');
const state = global.__PARKSAFE_STATE__;

/** usingComponents maps every TDesign tag the app declares to its copy under /miniprogram_npm, which
 * simulate resolves (it does not follow npm-style paths and would silently render nothing). */
function componentMap() {
  const map = {};
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'miniprogram_npm') walk(p);
      } else if (e.name.endsWith('.json')) {
        const j = JSON.parse(fs.readFileSync(p, 'utf8'));
        for (const [tag, target] of Object.entries(j.usingComponents || {})) {
          if (/^[a-z]/.test(target)) {
            const abs = '/miniprogram_npm/' + target;
            if (!fs.existsSync(path.join(src, abs + '.json'))) throw new Error(`${target}: run npm run build:npm`);
            map[tag] = abs;
          }
        }
      }
    }
  };
  walk(src);
  return map;
}
const usingComponents = componentMap();
const loaded = new Map();

// ---- phones -------------------------------------------------------------------------------------

/** phone makes another device with its own storage and files. */
function phone(name) {
  return createWx(name);
}

/** use makes p the device the app code runs on (the global wx). */
function use(p) {
  Object.assign(global.wx, p);
  return p;
}

// ---- pages --------------------------------------------------------------------------------------

/**
 * openPage loads (once per test file), renders and attaches a page, then runs onLoad(query) and onShow
 * as the runtime would.
 * @param {string} route e.g. 'pages/hazards/detail'
 */
async function openPage(route, query = {}) {
  let id = loaded.get(route);
  if (!id) {
    // simulate runs component JS with require, and jest keeps modules: a TDesign component already
    // required for another page would not call Component() again and would render as nothing. A fresh
    // registry per page load avoids that; the app's config is pointed at the test server again.
    jest.resetModules();
    require(path.join(src, 'config')).apiBase = state.api;
    id = simulate.load(path.join(src, route), { rootPath: src, usingComponents, compilerOptions: { maxBuffer: 64 * 1024 * 1024 } });
    loaded.set(route, id);
  }
  const page = simulate.render(id);
  page.attach(document.createElement('parent-wrapper'));
  const inst = page.instance;
  if (inst.onLoad) await inst.onLoad(query);
  if (inst.onShow) await inst.onShow();
  return page;
}

/** textOf is the text a person sees in node, TDesign's virtual-host components included. */
function textOf(node) {
  if (!node) return '';
  if (node.dom) return node.dom.textContent.replace(/\s+/g, ' ').trim();
  const walk = (n) => {
    if (n.textContent !== undefined && !n.childNodes) return n.textContent;
    let s = '';
    for (const c of n.childNodes || []) s += walk(c);
    if (n.shadowRoot) s += walk(n.shadowRoot);
    return s;
  };
  return walk(node._exparserNode).replace(/\s+/g, ' ').trim();
}

/** tap taps node, or the element matching inner inside it (the native button inside a t-button). */
function tap(node, inner) {
  if (!node) throw new Error('tap: no such node');
  const target = inner ? node.querySelector(inner) : node;
  if (!target) throw new Error('tap: nothing matches ' + inner);
  target.dispatchEvent('tap');
}

/** tapButton taps the t-button matching sel once it has rendered its native button. */
async function tapButton(page, sel) {
  const inner = await waitFor(() => page.querySelector(sel) && page.querySelector(sel).querySelector('.t-button'), sel + ' button');
  inner.dispatchEvent('tap');
}

/** type enters value into a t-input / t-textarea (its native input fires `input`). */
function type(page, sel, value) {
  const host = page.querySelector(sel);
  if (!host) throw new Error('type: no ' + sel);
  const native = host.querySelector('input') || host.querySelector('textarea') || host.querySelector('.t-input__control') ||
    host.querySelector('.t-textarea__wrapper-inner');
  if (!native) throw new Error('type: no native field in ' + sel);
  native.dispatchEvent('input', { detail: { value, cursor: value.length } });
}

/** waitFor polls fn until it returns a truthy value (events and requests are asynchronous). */
async function waitFor(fn, what = 'condition', timeout = 10000) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? ': ' + last.message : ''}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

/** calls lists the recorded calls to one wx API (navigateTo, showToast…) on the current phone. */
function calls(api) {
  return global.wx.__calls.filter((c) => c.api === api);
}

// ---- fixtures over the API ----------------------------------------------------------------------

/** api calls the server directly (fixtures and checks), as token's user. */
function api(method, p, body, token) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? null : JSON.stringify(body);
    const req = http.request(new URL(state.api + p), { method, headers: { 'content-type': 'application/json',
      ...(token ? { authorization: 'Bearer ' + token } : {}), ...(data ? { 'content-length': Buffer.byteLength(data) } : {}) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try {
          json = JSON.parse(text);
        } catch (e) {
          /* empty or not JSON */
        }
        resolve({ status: res.statusCode, body: json, text, header: res.headers });
      });
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

/** fetchURL gets an absolute link (a signed photo link) without a token. */
function fetchURL(url) {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'] }));
    }).on('error', reject);
  });
}

async function must(method, p, body, token, want) {
  const r = await api(method, p, body, token);
  if (want ? r.status !== want : r.status >= 300) throw new Error(`${method} ${p}: ${r.status} ${r.text}`);
  return r.body;
}

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** uscc completes a 统一社会信用代码 from n with its GB 32100 check character. */
function uscc(n) {
  const body = '91330100' + String(100000000 + n).slice(-9);
  let sum = 0;
  let w = 1;
  for (const ch of body) {
    sum += CHARSET.indexOf(ch) * w;
    w = (w * 3) % 31;
  }
  return body + CHARSET[(31 - (sum % 31)) % 31];
}

let adminToken = null;
async function admin() {
  if (!adminToken) adminToken = (await must('POST', '/auth/login', { username: 'admin', password: state.adminPassword })).access_token;
  return adminToken;
}

const tag = () => Math.floor(10000000 + Math.random() * 89999999);

/** enterprise registers an enterprise with a unique name (name as given with {exact: true}). */
async function enterprise(name, opts = {}) {
  const n = tag();
  const e = await must('POST', '/enterprises', { name: opts.exact ? name : `${name || '测试化工'}${n}有限公司`, uscc: uscc(n), kind: 'hazchem_production',
    address: '园区大道 1 号', principal_name: '王主任', principal_mobile: '139' + String(n).slice(-8), major_hazard_count: 1 }, await admin());
  return e;
}

/** account creates a user and returns {username, password, id}. */
async function account(role, enterpriseId) {
  const n = tag();
  const username = `${role}${n}`;
  const password = 'Passw0rd-' + n;
  const u = await must('POST', '/users', { name: `测试${role === 'enterprise' ? '企业' : '检查'}${n}`, username, mobile: '138' + String(n).slice(-8),
    password, role, ...(role === 'enterprise' ? { enterprise_id: enterpriseId } : {}) }, await admin());
  return { username, password, id: u.id };
}

/** token signs in over the API (for checks made as that user). */
async function token(acc) {
  return (await must('POST', '/auth/login', { username: acc.username, password: acc.password })).access_token;
}

/** photoFile is a small real JPEG kept in the repository. */
const photoFile = path.resolve(__dirname, '../fixtures/photo.jpg');

module.exports = { src, state, phone, use, openPage, textOf, tap, tapButton, type, waitFor, calls, api, must, fetchURL, uscc, admin,
  enterprise, account, token, photoFile };

/** signIn puts acc's session on phone p (as the login page would) and makes p the current phone. */
async function signIn(p, acc) {
  use(p);
  const t = await must('POST', '/auth/login', { username: acc.username, password: acc.password });
  p.setStorageSync('parksafe.session', { accessToken: t.access_token, refreshToken: t.refresh_token, user: t.user });
  return t.access_token;
}

/** pick chooses option i of the native <picker> with this id. */
function pick(page, sel, value) {
  const node = page.querySelector(sel);
  if (!node) throw new Error('pick: no ' + sel);
  node.dispatchEvent('change', { detail: { value } });
}

module.exports.signIn = signIn;

/** wechat sends a control request to the fake WeChat (cmd/fakewechat) and resolves with its JSON. */
function wechat(method, p) {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(state.wechat + p), { method }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) reject(new Error(`fake WeChat ${method} ${p}: ${res.statusCode} ${text}`));
        else resolve(JSON.parse(text));
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** TIMESTAMP finds a timestamp as the server sends it, which no page should show as it is. */
const TIMESTAMP = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/**
 * parkTime is how a page shows a timestamp the server wrote in park time (+08:00):
 * "2026-11-27T02:34:05.1+08:00" is "11月27日 02:34" (with "2026年" in front in another year). It reads
 * the digits rather than using the code under test.
 */
function parkTime(t) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})[^Z]*\+08:00$/.exec(t);
  if (!m) throw new Error('not a park timestamp: ' + t);
  const thisYear = new Date(Date.now() + 8 * 3600e3).getUTCFullYear();
  return `${Number(m[1]) === thisYear ? '' : m[1] + '年'}${Number(m[2])}月${Number(m[3])}日 ${m[4]}:${m[5]}`;
}

/** storageKey is the wx storage key of the current phone's signed-in account for name (an outbox, a draft). */
function storageKey(name) {
  return require(path.join(src, 'utils/session')).key(name);
}

module.exports.wechat = wechat;
module.exports.storageKey = storageKey;
module.exports.TIMESTAMP = TIMESTAMP;
module.exports.parkTime = parkTime;
/** tag is a random 8-digit number for unique fixture names. */
module.exports.tag = tag;
module.exports.pick = pick;
