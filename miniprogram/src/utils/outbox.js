// outbox keeps every report and rectification on the phone until the server has it. A submission is
// written to wx storage (its photos copied out of the temporary folder) before the first attempt, so a
// lost network or a killed app loses nothing; it is sent in order when the network returns or the app
// comes back to the foreground, always with its original Idempotency-Key (and each photo with its own),
// so however often it is retried the server creates it once.
//
// Items the server refused (a 4xx other than 401: the hazard changed meanwhile, a field is now
// invalid) stay as 'failed' with the server's message until the user retries or discards them.
//
// Nothing is tried while the phone has no network, and such a try does not count. Every other failure
// (the server at fault or busy, a network that is there but does not carry the request) does: the item
// waits twice as long after each (RETRY_BASE_MS doubling up to RETRY_MAX_MS, with jitter, so that the
// phones of a whole park do not come back at the same second after an outage), and after MAX_FAILURES
// in a row it is 'stalled': kept and shown, but sent only when the user asks. A flush skips an item that
// waits, so one item the server keeps failing on does not hold back the others.

const api = require('./api');
const session = require('./session');

/** storeKey is where the signed-in account keeps its outbox (see session.key): nobody else sends it. */
const storeKey = () => session.key('outbox');
/** LEGACY is where versions that kept one outbox for everyone on the phone left it. */
const LEGACY = 'parksafe.outbox';
/** RETRY_BASE_MS is how long an item waits after its first counted failure; it doubles with each further one. */
const RETRY_BASE_MS = 30 * 1000;
/** RETRY_MAX_MS caps the wait between two automatic tries. */
const RETRY_MAX_MS = 30 * 60 * 1000;
/** MAX_FAILURES is how many counted failures in a row stop automatic tries (about an hour of them). */
const MAX_FAILURES = 8;
/** @type {Set<(items: import('../../types').OutboxItem[]) => void>} */
const listeners = new Set();
/** @type {Promise<void>|null} */
let flushing = null;
let started = false;
/** @type {any} */
let timer = null;

/**
 * list returns the signed-in account's items (or those kept under k). An outbox left by an earlier
 * version is adopted by the first account that signs in, most likely the one that filled it.
 * @param {string} [k] @returns {import('../../types').OutboxItem[]}
 */
function list(k = storeKey()) {
  const items = wx.getStorageSync(k);
  if (items) return items;
  const left = wx.getStorageSync(LEGACY);
  if (left && session.user()) {
    wx.setStorageSync(k, left);
    wx.removeStorageSync(LEGACY);
    return left;
  }
  return [];
}

/** @param {import('../../types').OutboxItem[]} items @param {string} [k] */
function save(items, k = storeKey()) {
  wx.setStorageSync(k, items);
  for (const fn of listeners) {
    try {
      fn(items);
    } catch (e) {
      /* a page that went away */
    }
  }
}

/** @param {string} id @param {(it: import('../../types').OutboxItem) => void} fn @param {string} [k] */
function update(id, fn, k = storeKey()) {
  const items = list(k);
  const it = items.find((x) => x.id === id);
  if (it) {
    fn(it);
    save(items, k);
  }
  return it;
}

/** onChange calls fn with the items whenever they change; it returns the unsubscribe function. */
function onChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** count is the number of items not yet sent (shown as a badge). */
function count() {
  return list().length;
}

function dir() {
  return `${wx.env.USER_DATA_PATH}/outbox`;
}

/**
 * keep copies a temporary photo file to the app's own folder, which survives a restart; drafts use it
 * too, so that a photo taken before the app was killed is still there.
 * @param {string} path @param {string} [name]
 */
function keep(path, name) {
  name = name || api.newKey();
  if (path.indexOf(dir()) === 0) return path;
  const fs = wx.getFileSystemManager();
  try {
    fs.accessSync(dir());
  } catch (e) {
    fs.mkdirSync(dir(), true);
  }
  const ext = (path.match(/\.[a-zA-Z0-9]+$/) || ['.jpg'])[0];
  const dest = `${dir()}/${name}${ext}`;
  fs.copyFileSync(path, dest);
  return dest;
}

function forget(item) {
  const fs = wx.getFileSystemManager();
  for (const p of item.photos) {
    if (p.path.indexOf(dir()) === 0) {
      try {
        fs.unlinkSync(p.path);
      } catch (e) {
        /* already gone */
      }
    }
  }
}

/**
 * put stores a submission (a new one, or the same id again after the user corrected it: its key is
 * kept). Photos are copied to persistent storage first.
 * @param {{id?: string, kind: string, method?: 'POST'|'PUT'|'PATCH', path: string, body: Record<string, any>,
 *   photoField?: string, photos?: import('../../types').LocalPhoto[], title: string, key?: string}} s
 * @returns {import('../../types').OutboxItem}
 */
function put(s) {
  const id = s.id || api.newKey();
  const photos = (s.photos || []).map((p, i) => ({ ...p, path: p.photoId ? p.path : keep(p.path, `${id}-${i}-${Date.now()}`),
    key: p.key || api.newKey() }));
  /** @type {import('../../types').OutboxItem} */
  const item = { id, kind: s.kind, key: s.key || api.newKey(), method: s.method || 'POST', path: s.path, body: s.body,
    photoField: s.photoField, photos, title: s.title, createdAt: Date.now(), state: 'pending', attempts: 0, failures: 0, nextAt: 0 };
  const items = list().filter((x) => x.id !== id);
  items.push(item);
  save(items);
  return item;
}

/**
 * withPhotos returns the item's body with the uploaded photos' ids in place: a photo with a field
 * (a dotted path such as "areas.1.photo_ids", for forms whose parts each have photos) goes to that
 * list, any other to photoField.
 * @param {import('../../types').OutboxItem} item
 */
function withPhotos(item) {
  const body = JSON.parse(JSON.stringify(item.body));
  if (item.photoField) body[item.photoField] = item.photos.filter((p) => !p.field).map((p) => p.photoId);
  for (const p of item.photos) {
    if (!p.field) continue;
    const keys = p.field.split('.');
    let at = body;
    for (const k of keys.slice(0, -1)) {
      if (at[k] === undefined || at[k] === null) at[k] = {};
      at = at[k];
    }
    const last = keys[keys.length - 1];
    if (!Array.isArray(at[last])) at[last] = [];
    at[last].push(p.photoId);
  }
  return body;
}

/**
 * connected reports whether the phone has a network at all (wifi or mobile data); a failed call to ask
 * counts as yes, so that the try is made.
 * @returns {Promise<boolean>}
 */
function connected() {
  return new Promise((resolve) => {
    wx.getNetworkType({ success: (r) => resolve(r.networkType !== 'none'), fail: () => resolve(true) });
  });
}

/** backoff is how long an item waits after its n-th counted failure in a row: doubling, capped, with jitter. @param {number} n */
function backoff(n) {
  const d = Math.min(RETRY_BASE_MS * 2 ** (n - 1), RETRY_MAX_MS);
  return Math.round(d / 2 + (Math.random() * d) / 2);
}

/** refused reports whether the server turned the item down for good (a 4xx other than 401). */
function refused(e) {
  return e instanceof api.ApiError && !e.retryable && e.status !== 401;
}

/**
 * send delivers one item: its photos not uploaded yet, then the request. It resolves with the
 * server's answer and removes the item; on failure the item stays and the error is thrown: 'failed'
 * when the server refused it, else 'pending' until its next try, or 'stalled' after MAX_FAILURES
 * counted failures in a row.
 * @param {string} id
 */
async function send(id) {
  const k = storeKey(); // the account that started sending it, even if it signs out meanwhile
  let item = update(id, (it) => {
    it.state = 'sending';
    it.attempts++;
  }, k);
  if (!item) throw new api.ApiError(404, 'not_found', '待发送记录不存在');
  try {
    for (let i = 0; i < item.photos.length; i++) {
      if (item.photos[i].photoId) continue;
      const ph = await api.upload(item.photos[i]);
      item = update(id, (it) => {
        it.photos[i].photoId = ph.id;
      }, k);
    }
    const body = withPhotos(item);
    const result = await api.request(item.method, item.path, { data: body, key: item.key });
    forget(item);
    save(list(k).filter((x) => x.id !== id), k);
    return result;
  } catch (e) {
    // Without a network, or signed out, the item waits for the network (start() listens for it) or
    // the next sign-in; neither says anything about the item or the server.
    const waits = e instanceof api.ApiError && (e.status === 401 || (e.network && !(await connected())));
    update(id, (it) => {
      it.error = api.messageOf(e);
      if (refused(e)) {
        it.state = 'failed';
      } else if (waits) {
        it.state = 'pending';
      } else {
        it.failures = (it.failures || 0) + 1;
        it.state = it.failures >= MAX_FAILURES ? 'stalled' : 'pending';
        it.nextAt = it.state === 'pending' ? Date.now() + backoff(it.failures) : 0;
      }
    }, k);
    throw e;
  }
}

/**
 * submit stores a submission and tries to send it now. It resolves with {sent: true, result} when the
 * server has it, or {sent: false} when it waits in the outbox for the network. A refusal by the server
 * (a 422 with field errors…) takes the item back out of the outbox and rejects with the ApiError, so
 * the form that is still open shows it; the photos already uploaded and the key come back in
 * error.item so that the corrected submission reuses them.
 */
async function submit(s) {
  const item = put(s);
  try {
    return { sent: true, result: await send(item.id), item };
  } catch (e) {
    if (refused(e)) {
      const kept = list().find((x) => x.id === item.id);
      save(list().filter((x) => x.id !== item.id));
      /** @type {any} */ (e).item = kept || item;
      throw e;
    }
    return { sent: false, item };
  }
}

/**
 * flush sends the items in order: by itself (manual false) only when the phone has a network, and
 * neither the items still waiting after a failure nor the stalled ones; when the user asks (manual
 * true, "立即发送"), every item but those the server refused. It stops when the network, or a server
 * that is away or busy (503, 429), could not take one. One flush runs at a time; a call meanwhile
 * waits for it, and the user's then runs after it.
 * @param {{manual?: boolean}} [opts]
 * @returns {Promise<void>}
 */
function flush(opts = {}) {
  if (flushing) return opts.manual ? flushing.then(() => flush(opts)) : flushing;
  flushing = (async () => {
    if (!opts.manual && !(await connected())) return;
    const now = Date.now();
    for (const it of list()) {
      if (it.state === 'failed') continue;
      if (!opts.manual && (it.state === 'stalled' || (it.nextAt || 0) > now)) continue;
      try {
        await send(it.id);
      } catch (e) {
        if (e instanceof api.ApiError && (e.network || e.status === 429 || e.status === 503 || e.status === 401)) break;
      }
    }
  })().finally(() => {
    flushing = null;
    schedule();
  });
  return flushing;
}

/**
 * schedule sets a timer for the next item that waits after a failure, once start() has run (the
 * app's own outbox, not a test's); WeChat pauses it in the background, and onShow flushes anyway.
 */
function schedule() {
  if (!started) return;
  if (timer) clearTimeout(timer);
  timer = null;
  const next = list().filter((x) => x.state === 'pending' && x.nextAt).map((x) => x.nextAt);
  if (next.length) timer = setTimeout(() => flush(), Math.max(0, Math.min(...next) - Date.now()) + 1000);
}

/** retry sends one item now at the user's request (a refused or stalled one too), with its failures forgotten. @param {string} id */
async function retry(id) {
  update(id, (it) => {
    it.state = 'pending';
    it.failures = 0;
    it.nextAt = 0;
  });
  if (flushing) await flushing;
  try {
    await send(id);
  } catch (e) {
    return; // shown on the item
  }
  await flush();
}

/** discard removes an item and its photo copies; only the user does this. */
function discard(id) {
  const it = list().find((x) => x.id === id);
  if (it) forget(it);
  save(list().filter((x) => x.id !== id));
}

/**
 * start is called once by App.onLaunch: items left 'sending' by a killed app go back in line, and the
 * outbox flushes whenever the network comes back.
 */
function start() {
  if (started) return;
  started = true;
  const items = list();
  if (items.some((x) => x.state === 'sending')) {
    for (const x of items) if (x.state === 'sending') x.state = 'pending';
    save(items);
  }
  wx.onNetworkStatusChange((res) => {
    if (res.isConnected) flush();
  });
  schedule();
}

module.exports = { keep, list, count, put, send, submit, flush, retry, discard, start, onChange, withPhotos, backoff, MAX_FAILURES };
