// outbox keeps every report and rectification on the phone until the server has it. A submission is
// written to wx storage (its photos copied out of the temporary folder) before the first attempt, so a
// lost network or a killed app loses nothing; it is sent in order when the network returns or the app
// comes back to the foreground, always with its original Idempotency-Key (and each photo with its own),
// so however often it is retried the server creates it once.
//
// Items the server refused (a 4xx other than 401: the hazard changed meanwhile, a field is now
// invalid) stay as 'failed' with the server's message until the user retries or discards them.

const api = require('./api');

const KEY = 'parksafe.outbox';
/** @type {Set<(items: import('../types').OutboxItem[]) => void>} */
const listeners = new Set();
/** @type {Promise<void>|null} */
let flushing = null;
let started = false;

/** @returns {import('../types').OutboxItem[]} */
function list() {
  return wx.getStorageSync(KEY) || [];
}

/** @param {import('../types').OutboxItem[]} items */
function save(items) {
  wx.setStorageSync(KEY, items);
  for (const fn of listeners) {
    try {
      fn(items);
    } catch (e) {
      /* a page that went away */
    }
  }
}

/** @param {string} id @param {(it: import('../types').OutboxItem) => void} fn */
function update(id, fn) {
  const items = list();
  const it = items.find((x) => x.id === id);
  if (it) {
    fn(it);
    save(items);
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
 *   photoField?: string, photos?: import('../types').LocalPhoto[], title: string, key?: string}} s
 * @returns {import('../types').OutboxItem}
 */
function put(s) {
  const id = s.id || api.newKey();
  const photos = (s.photos || []).map((p, i) => ({ ...p, path: p.photoId ? p.path : keep(p.path, `${id}-${i}-${Date.now()}`),
    key: p.key || api.newKey() }));
  /** @type {import('../types').OutboxItem} */
  const item = { id, kind: s.kind, key: s.key || api.newKey(), method: s.method || 'POST', path: s.path, body: s.body,
    photoField: s.photoField, photos, title: s.title, createdAt: Date.now(), state: 'pending', attempts: 0 };
  const items = list().filter((x) => x.id !== id);
  items.push(item);
  save(items);
  return item;
}

/**
 * withPhotos returns the item's body with the uploaded photos' ids in place: a photo with a field
 * (a dotted path such as "areas.1.photo_ids", for forms whose parts each have photos) goes to that
 * list, any other to photoField.
 * @param {import('../types').OutboxItem} item
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
 * send delivers one item: its photos not uploaded yet, then the request. It resolves with the
 * server's answer and removes the item; on failure the item stays (pending when the network or the
 * server is at fault, failed when the server refused it) and the ApiError is thrown.
 * @param {string} id
 */
async function send(id) {
  let item = update(id, (it) => {
    it.state = 'sending';
    it.attempts++;
  });
  if (!item) throw new api.ApiError(404, 'not_found', '待发送记录不存在');
  try {
    for (let i = 0; i < item.photos.length; i++) {
      if (item.photos[i].photoId) continue;
      const ph = await api.upload(item.photos[i]);
      item = update(id, (it) => {
        it.photos[i].photoId = ph.id;
      });
    }
    const body = withPhotos(item);
    const result = await api.request(item.method, item.path, { data: body, key: item.key });
    forget(item);
    save(list().filter((x) => x.id !== id));
    return result;
  } catch (e) {
    const retry = !(e instanceof api.ApiError) || e.retryable || e.status === 401;
    update(id, (it) => {
      it.state = retry ? 'pending' : 'failed';
      it.error = api.messageOf(e);
    });
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
    if (e instanceof api.ApiError && !e.retryable && e.status !== 401) {
      const kept = list().find((x) => x.id === item.id);
      save(list().filter((x) => x.id !== item.id));
      /** @type {any} */ (e).item = kept || item;
      throw e;
    }
    return { sent: false, item };
  }
}

/**
 * flush sends every pending item in order and stops at the first one the network or the server
 * could not take. One flush runs at a time; a call meanwhile waits for it.
 */
function flush() {
  if (flushing) return flushing;
  flushing = (async () => {
    for (const it of list()) {
      if (it.state === 'failed') continue;
      try {
        await send(it.id);
      } catch (e) {
        if (!(e instanceof api.ApiError) || e.retryable || e.status === 401) break;
      }
    }
  })().finally(() => {
    flushing = null;
  });
  return flushing;
}

/** retry puts a failed item back in line and flushes. */
function retry(id) {
  update(id, (it) => {
    it.state = 'pending';
  });
  return flush();
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
}

module.exports = { keep, list, count, put, send, submit, flush, retry, discard, start, onChange, withPhotos, KEY };
