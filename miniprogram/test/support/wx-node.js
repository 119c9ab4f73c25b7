// wx-node is a stand-in for the WeChat APIs the app uses, over Node's http and file system, so that
// page tests talk to a real ParkSafe server. Several "phones" can exist at once: each has its own
// storage and files (createWx per phone; setup-wx switches the global wx between them).
// Test controls: __queueMedia(path) (what the camera returns next), __setOnline(bool) (no network:
// requests and uploads fail like a dropped signal, and listeners hear of the change), __calls.
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const zlib = require('zlib');

const CT = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.txt': 'text/plain' };
let tmpSeq = 0;

function createWx(name = 'phone') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `wx-${name}-`));
  const store = new Map();
  const media = [];
  const netListeners = [];
  let online = true;
  const calls = [];
  const USER = 'wxfile://usr';

  /** local maps a wxfile:// path to a file on disk. */
  const local = (p) => {
    if (p.startsWith(USER)) return path.join(dir, 'usr', p.slice(USER.length));
    if (p.startsWith('wxfile://')) return path.join(dir, 'tmp', p.slice('wxfile://'.length));
    return p;
  };
  const tempFile = (src) => {
    const ext = path.extname(src) || '.jpg';
    const p = `wxfile://tmp_${++tmpSeq}${ext}`;
    fs.mkdirSync(path.join(dir, 'tmp'), { recursive: true });
    fs.copyFileSync(src, local(p));
    return p;
  };
  const record = (api) => (o = {}) => {
    calls.push({ api, ...o });
    if (o.success) o.success({ errMsg: api + ':ok', confirm: true, tapIndex: 0 });
    return Promise.resolve();
  };

  function request(o) {
    const u = new URL(o.url);
    const method = (o.method || 'GET').toUpperCase();
    let body = null;
    const header = { ...(o.header || {}) };
    const call = { api: 'request', method, url: o.url, header: { ...header }, encoding: '' };
    calls.push(call);
    // WeChat asks for a compressed answer itself and gives the app the body decompressed.
    header['accept-encoding'] = 'gzip';
    if (o.data !== undefined && o.data !== null) {
      if (method === 'GET') {
        for (const [k, v] of Object.entries(o.data)) u.searchParams.set(k, String(v));
      } else {
        body = typeof o.data === 'string' ? o.data : JSON.stringify(o.data);
      }
    }
    let aborted = false;
    if (!online) {
      setTimeout(() => o.fail && o.fail({ errMsg: 'request:fail net::ERR_INTERNET_DISCONNECTED' }), 0);
      return { abort() {} };
    }
    const req = http.request(u, { method, headers: body ? { 'content-length': Buffer.byteLength(body), ...header } : header }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        if (aborted) return;
        const raw = Buffer.concat(chunks);
        call.encoding = res.headers['content-encoding'] || '';
        let data = (res.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(raw) : raw).toString('utf8');
        if ((o.dataType || 'json') === 'json') {
          try {
            data = JSON.parse(data);
          } catch (e) {
            /* left as text, as WeChat does */
          }
        }
        o.success && o.success({ data, statusCode: res.statusCode, header: res.headers, cookies: [], errMsg: 'request:ok' });
        o.complete && o.complete({});
      });
    });
    req.setTimeout(o.timeout || 60000, () => req.destroy(new Error('timeout')));
    req.on('error', (e) => {
      if (!aborted) o.fail && o.fail({ errMsg: 'request:fail ' + e.message });
    });
    if (body) req.write(body);
    req.end();
    return { abort() { aborted = true; req.destroy(); } };
  }

  function uploadFile(o) {
    if (!online) {
      setTimeout(() => o.fail && o.fail({ errMsg: 'uploadFile:fail net::ERR_INTERNET_DISCONNECTED' }), 0);
      return { abort() {} };
    }
    const boundary = '----wxnode' + Date.now().toString(16);
    const parts = [];
    for (const [k, v] of Object.entries(o.formData || {})) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    }
    const file = local(o.filePath);
    const ext = path.extname(file).toLowerCase();
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${o.name}"; filename="${path.basename(file)}"\r\n` +
      `Content-Type: ${CT[ext] || 'application/octet-stream'}\r\n\r\n`));
    parts.push(fs.readFileSync(file), Buffer.from(`\r\n--${boundary}--\r\n`));
    const body = Buffer.concat(parts);
    const req = http.request(new URL(o.url), { method: 'POST', headers: { ...(o.header || {}), 'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': body.length } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => o.success && o.success({ data: Buffer.concat(chunks).toString('utf8'), statusCode: res.statusCode, errMsg: 'uploadFile:ok' }));
    });
    req.on('error', (e) => o.fail && o.fail({ errMsg: 'uploadFile:fail ' + e.message }));
    req.end(body);
    return { abort() { req.destroy(); } };
  }

  function downloadFile(o) {
    calls.push({ api: 'downloadFile', url: o.url, header: o.header });
    if (!online) {
      setTimeout(() => o.fail && o.fail({ errMsg: 'downloadFile:fail net::ERR_INTERNET_DISCONNECTED' }), 0);
      return { abort() {} };
    }
    const req = http.get(new URL(o.url), { headers: o.header || {} }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const p = `wxfile://tmp_${++tmpSeq}.download`;
        fs.mkdirSync(path.join(dir, 'tmp'), { recursive: true });
        fs.writeFileSync(local(p), Buffer.concat(chunks));
        o.success && o.success({ tempFilePath: p, statusCode: res.statusCode, errMsg: 'downloadFile:ok' });
      });
    });
    req.on('error', (e) => o.fail && o.fail({ errMsg: 'downloadFile:fail ' + e.message }));
    return { abort() { req.destroy(); } };
  }

  const fsm = {
    accessSync(p) {
      if (!fs.existsSync(local(p))) throw new Error('access:fail no such file or directory ' + p);
    },
    mkdirSync(p, recursive) {
      fs.mkdirSync(local(p), { recursive: !!recursive });
    },
    copyFileSync(a, b) {
      fs.mkdirSync(path.dirname(local(b)), { recursive: true });
      fs.copyFileSync(local(a), local(b));
    },
    unlinkSync(p) {
      fs.unlinkSync(local(p));
    },
    statSync(p) {
      return fs.statSync(local(p));
    },
    readdirSync(p) {
      return fs.readdirSync(local(p));
    },
    readFileSync(p, enc) {
      return fs.readFileSync(local(p), enc);
    },
  };

  const wx = {
    env: { USER_DATA_PATH: USER },
    request,
    uploadFile,
    downloadFile,
    getFileSystemManager: () => fsm,
    chooseMedia(o = {}) {
      calls.push({ api: 'chooseMedia', ...o });
      const files = media.splice(0, o.count || 9);
      const res = files.length
        ? { tempFiles: files.map((f) => ({ tempFilePath: tempFile(f), size: fs.statSync(f).size, fileType: 'image' })), type: 'image', errMsg: 'chooseMedia:ok' }
        : null;
      const p = new Promise((resolve, reject) => setTimeout(() => (res ? resolve(res) : reject({ errMsg: 'chooseMedia:fail cancel' })), 0));
      if (o.success || o.fail) p.then(o.success, o.fail);
      else return p;
      return undefined;
    },
    getImageInfo(o) {
      setTimeout(() => o.success && o.success({ width: 160, height: 120, path: o.src }), 0);
    },
    compressImage(o) {
      calls.push({ api: 'compressImage', ...o });
      setTimeout(() => o.success && o.success({ tempFilePath: tempFile(local(o.src)) }), 0);
    },
    getLocation(o) {
      setTimeout(() => o.success && o.success({ latitude: 30.2741, longitude: 120.1551 }), 0);
    },
    login(o) {
      setTimeout(() => o.success && o.success({ code: 'test-code' }), 0);
    },
    getStorageSync: (k) => (store.has(k) ? JSON.parse(store.get(k)) : ''),
    setStorageSync: (k, v) => store.set(k, JSON.stringify(v)),
    removeStorageSync: (k) => store.delete(k),
    clearStorageSync: () => store.clear(),
    onNetworkStatusChange: (fn) => netListeners.push(fn),
    getNetworkType(o) {
      setTimeout(() => o.success && o.success({ networkType: online ? 'wifi' : 'none', errMsg: 'getNetworkType:ok' }), 0);
    },
    showToast: record('showToast'),
    showModal: record('showModal'),
    showActionSheet: record('showActionSheet'),
    showLoading: record('showLoading'),
    hideLoading: record('hideLoading'),
    navigateTo: record('navigateTo'),
    redirectTo: record('redirectTo'),
    reLaunch: record('reLaunch'),
    switchTab: record('switchTab'),
    navigateBack: record('navigateBack'),
    previewImage: record('previewImage'),
    requestSubscribeMessage: record('requestSubscribeMessage'),
    stopPullDownRefresh: record('stopPullDownRefresh'),
    setTabBarBadge: record('setTabBarBadge'),
    setNavigationBarTitle: record('setNavigationBarTitle'),
    setClipboardData: record('setClipboardData'),
    openDocument: record('openDocument'),
    pageScrollTo: record('pageScrollTo'),
    removeTabBarBadge: record('removeTabBarBadge'),
    __calls: calls,
    __name: name,
    __dir: dir,
    __queueMedia: (p) => media.push(p),
    __setOnline(v) {
      online = v;
      for (const fn of netListeners) fn({ isConnected: v, networkType: v ? 'wifi' : 'none' });
    },
    __reset: () => calls.splice(0),
    __local: local,
  };
  return wx;
}

module.exports = { createWx };
