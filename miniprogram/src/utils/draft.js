// draft keeps a form the user is filling in, photos included, in wx storage on every change, so that
// a killed app or a phone call loses nothing; the draft also keeps the submission's Idempotency-Key.
const api = require('./api');
const outbox = require('./outbox');

const PREFIX = 'parksafe.draft.';

/** load returns the stored draft under name, or a new one from fresh(). @param {string} name @param {() => any} fresh */
function load(name, fresh) {
  const d = wx.getStorageSync(PREFIX + name);
  return d && d.id ? d : { ...fresh(), id: api.newKey(), key: api.newKey(), photos: [] };
}

/** save stores the draft. @param {string} name @param {any} d */
function save(name, d) {
  wx.setStorageSync(PREFIX + name, d);
}

/** clear forgets the draft (it was sent or handed to the outbox). @param {string} name */
function clear(name) {
  wx.removeStorageSync(PREFIX + name);
}

/** keepPhotos copies newly taken photos out of the temporary folder. @param {import('../types').LocalPhoto[]} ps */
function keepPhotos(ps) {
  return ps.map((p) => ({ ...p, path: outbox.keep(p.path), key: p.key || api.newKey() }));
}

module.exports = { load, save, clear, keepPhotos };
