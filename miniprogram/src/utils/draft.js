// draft keeps a form the user is filling in, photos included, in wx storage on every change, so that
// a killed app or a phone call loses nothing; the draft also keeps the submission's Idempotency-Key.
// Drafts are the signed-in account's (session.key).
const api = require('./api');
const outbox = require('./outbox');
const session = require('./session');

/** LEGACY is where versions before drafts were kept per account left them, for everyone on the phone. */
const LEGACY = 'parksafe.draft.';

/** get returns the stored draft under name, or null. @param {string} name */
function get(name) {
  const k = session.key('draft.' + name);
  let d = wx.getStorageSync(k);
  if (!d) {
    d = wx.getStorageSync(LEGACY + name); // adopted by the first account to open the form
    if (d && session.user()) {
      wx.setStorageSync(k, d);
      wx.removeStorageSync(LEGACY + name);
    }
  }
  return d && d.id ? d : null;
}

/** load returns the stored draft under name, or a new one from fresh(). @param {string} name @param {() => any} fresh */
function load(name, fresh) {
  return get(name) || { ...fresh(), id: api.newKey(), key: api.newKey(), photos: [] };
}

/** save stores the draft. @param {string} name @param {any} d */
function save(name, d) {
  wx.setStorageSync(session.key('draft.' + name), d);
}

/** clear forgets the draft (it was sent or handed to the outbox). @param {string} name */
function clear(name) {
  wx.removeStorageSync(session.key('draft.' + name));
}

/** keepPhotos copies newly taken photos out of the temporary folder. @param {import('../../types').LocalPhoto[]} ps */
function keepPhotos(ps) {
  return ps.map((p) => ({ ...p, path: outbox.keep(p.path), key: p.key || api.newKey() }));
}

module.exports = { get, load, save, clear, keepPhotos };
