// api is the only module that talks to the ParkSafe server. It adds the Bearer token, refreshes an
// expired access token once (a single refresh in flight: refresh tokens rotate and a reused one is
// refused), turns every failure into an ApiError carrying the server's Chinese message and field
// errors, and sends the Idempotency-Key the caller keeps for a submission across retries.

const config = require('../config');
const session = require('./session');

/** ApiError is any failed call: status 0 and network true when the server was not reached. */
class ApiError extends Error {
  /**
   * @param {number} status HTTP status, 0 when the request never got an answer
   * @param {string} code the server's stable English code, or 'network'
   * @param {string} message Chinese, fit to show a user as is
   * @param {Record<string,string>} [fields] Chinese messages per request field
   */
  constructor(status, code, message, fields) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields || {};
  }

  /** network reports whether the server was not reached (no signal, timeout). */
  get network() {
    return this.status === 0;
  }

  /** retryable reports whether sending the same request later may succeed: ours or the network's fault. */
  get retryable() {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

const NETWORK_MESSAGE = '网络不可用，请检查网络后重试';
const STORAGE_MESSAGE = '手机存储空间不足，未能保存，请清理微信存储空间后重试';
const FAILURE_MESSAGE = '操作未完成，请重试';

/**
 * messageOf is the Chinese text to show a person for any failure: an ApiError's own message (the
 * server's, or the network's), else fallback. Other errors carry English meant for developers (a
 * TypeError, a WeChat API's "setStorageSync:fail …"), so they go to WeChat's realtime log instead,
 * which the console of the mini-program's admin site shows; storage that is full is named, since the
 * person can do something about it.
 * @param {any} e @param {string} [fallback]
 */
function messageOf(e, fallback) {
  if (e instanceof ApiError) return e.message;
  const text = String((e && (e.errMsg || e.message)) || e);
  const log = typeof wx.getRealtimeLogManager === 'function' ? wx.getRealtimeLogManager() : null;
  if (log) log.error('failure', text, e && e.stack ? String(e.stack) : '');
  if (/setStorage/i.test(text)) return STORAGE_MESSAGE;
  return fallback || FAILURE_MESSAGE;
}

/** newKey returns a fresh random Idempotency-Key (a version 4 UUID). */
function newKey() {
  const b = [];
  for (let i = 0; i < 16; i++) b.push(Math.floor(Math.random() * 256));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.map((x) => (x < 16 ? '0' : '') + x.toString(16)).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** query encodes params (undefined, null and '' left out). @param {Record<string, any>} [params] */
function query(params) {
  if (!params) return '';
  const parts = Object.keys(params)
    .filter((k) => params[k] !== undefined && params[k] !== null && params[k] !== '')
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(String(params[k]))}`);
  return parts.length ? '?' + parts.join('&') : '';
}

/** errorOf turns a response into an ApiError. @param {number} status @param {any} data */
function errorOf(status, data) {
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch (e) {
      data = null;
    }
  }
  const e = data && data.error;
  if (e && e.message) return new ApiError(status, e.code || 'error', e.message, e.fields);
  return new ApiError(status, 'http_' + status, status >= 500 ? '服务暂时不可用，请稍后重试' : `请求失败（${status}）`);
}

/** @type {Promise<boolean>|null} */
let refreshing = null;
/** @type {(() => void)|null} */
let onSignedOut = null;

/** setSignedOutHandler sets what happens when the session ends (refresh refused): the app goes to login. */
function setSignedOutHandler(fn) {
  onSignedOut = fn;
}

/**
 * raw sends one request and resolves with {status, data, header}; it rejects only when the server
 * was not reached.
 * @param {{method?: string, url: string, data?: any, header?: Record<string,string>, timeout?: number}} o
 * @returns {Promise<{status: number, data: any, header: Record<string,string>}>}
 */
function raw(o) {
  return new Promise((resolve, reject) => {
    wx.request({
      url: o.url,
      method: /** @type {any} */ (o.method || 'GET'),
      data: o.data,
      header: o.header,
      timeout: o.timeout || 20000,
      enableHttp2: true,
      success: (res) => resolve({ status: res.statusCode, data: res.data, header: /** @type {any} */ (res.header) }),
      fail: () => reject(new ApiError(0, 'network', NETWORK_MESSAGE)),
    });
  });
}

/**
 * refresh trades the refresh token for a new pair. Concurrent callers share one request, since the
 * server rotates refresh tokens and would refuse the second use of the same one.
 * @returns {Promise<boolean>} whether a new access token is stored
 */
function refresh() {
  if (refreshing) return refreshing;
  const s = session.get();
  if (!s || !s.refreshToken) return Promise.resolve(false);
  refreshing = raw({ method: 'POST', url: config.apiBase + '/auth/refresh', data: { refresh_token: s.refreshToken },
    header: { 'content-type': 'application/json' } })
    .then((res) => {
      if (res.status === 200 && res.data && res.data.access_token) {
        session.set(res.data);
        return true;
      }
      if (res.status === 401 || res.status === 400 || res.status === 422) {
        session.clear();
        if (onSignedOut) onSignedOut();
        return false;
      }
      throw errorOf(res.status, res.data);
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

function authHeader() {
  const s = session.get();
  return s ? { Authorization: 'Bearer ' + s.accessToken } : {};
}

/**
 * request calls the API and resolves with the response body; any failure rejects with an ApiError.
 * @param {string} method
 * @param {string} path under /api/v1, e.g. '/hazards'
 * @param {{data?: any, params?: Record<string, any>, key?: string, auth?: boolean}} [opts]
 *   key: the submission's Idempotency-Key (keep it across the user's retries of the same submission)
 * @returns {Promise<any>}
 */
async function request(method, path, opts = {}) {
  const auth = opts.auth !== false;
  const send = () => {
    /** @type {Record<string,string>} */
    // No Accept-Encoding: WeChat asks for gzip itself and hands over the body decompressed; an HTTP stack
    // told the encoding by the app may leave the decompressing to the app (OkHttp does), and the JSON
    // would arrive as gzip bytes.
    const header = { 'content-type': 'application/json', ...(auth ? authHeader() : {}) };
    if (opts.key) header['Idempotency-Key'] = opts.key;
    return raw({ method, url: config.apiBase + path + query(opts.params), data: opts.data, header });
  };
  let res = await send();
  if (res.status === 401 && auth && session.get()) {
    if (await refresh()) res = await send();
  }
  if (res.status >= 200 && res.status < 300) return res.status === 204 ? null : res.data;
  throw errorOf(res.status, res.data);
}

/**
 * upload sends one photo file to POST /photos with when and where it was taken.
 * @param {import('../../types').LocalPhoto} p
 * @returns {Promise<import('../../types').Photo>}
 */
async function upload(p) {
  const send = () =>
    new Promise((resolve, reject) => {
      /** @type {Record<string,string>} */
      const header = { ...authHeader() };
      if (p.key) header['Idempotency-Key'] = p.key;
      /** @type {Record<string, any>} */
      const formData = {};
      if (p.takenAt) formData.taken_at = p.takenAt;
      if (p.latitude != null && p.longitude != null) {
        formData.latitude = String(p.latitude);
        formData.longitude = String(p.longitude);
      }
      wx.uploadFile({
        url: config.apiBase + '/photos',
        filePath: p.path,
        name: 'file',
        formData,
        header,
        timeout: 60000,
        success: (res) => resolve({ status: res.statusCode, data: res.data }),
        fail: () => reject(new ApiError(0, 'network', NETWORK_MESSAGE)),
      });
    });
  /** @type {any} */
  let res = await send();
  if (res.status === 401 && session.get()) {
    if (await refresh()) res = await send();
  }
  if (res.status === 201 || res.status === 200) return typeof res.data === 'string' ? JSON.parse(res.data) : res.data;
  throw errorOf(res.status, res.data);
}

/**
 * download fetches a file the API makes (the hazard ledger) with the session's token into a
 * temporary file and resolves with its path; a refused one rejects with the server's ApiError.
 * @param {string} path under /api/v1 @param {Record<string, any>} [params]
 * @returns {Promise<string>}
 */
async function download(path, params) {
  const send = () =>
    new Promise((resolve, reject) => {
      wx.downloadFile({
        url: config.apiBase + path + query(params),
        header: authHeader(),
        timeout: 120000,
        success: (res) => resolve(res),
        fail: () => reject(new ApiError(0, 'network', NETWORK_MESSAGE)),
      });
    });
  /** @type {any} */
  let res = await send();
  if (res.statusCode === 401 && session.get()) {
    if (await refresh()) res = await send();
  }
  if (res.statusCode === 200) return res.tempFilePath;
  let body = null;
  try {
    body = JSON.parse(String(wx.getFileSystemManager().readFileSync(res.tempFilePath, 'utf8')));
  } catch (e) {
    /* not an error envelope */
  }
  throw errorOf(res.statusCode, body);
}

/** signIn stores the tokens of a successful sign-in. @param {import('../../types').Tokens} t */
function signIn(t) {
  session.set(t);
  return t.user;
}

/** signOut revokes the refresh token (best effort) and forgets the session. */
async function signOut() {
  const s = session.get();
  if (s) {
    try {
      await request('POST', '/auth/logout', { data: { refresh_token: s.refreshToken } });
    } catch (e) {
      /* signed out on the phone either way */
    }
  }
  session.clear();
}

const get = (path, params) => request('GET', path, { params });
const post = (path, data, key) => request('POST', path, { data, key });

module.exports = { ApiError, messageOf, request, get, post, upload, download, refresh, newKey, query, signIn, signOut, setSignedOutHandler, errorOf };
