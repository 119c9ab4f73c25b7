// session keeps the signed-in user's tokens and account in wx storage, so that a killed and reopened
// app is still signed in.

const KEY = 'parksafe.session';

/**
 * @typedef {{accessToken: string, refreshToken: string, user: import('../../types').User}} Session
 */

/** get returns the stored session or null. @returns {Session|null} */
function get() {
  const s = wx.getStorageSync(KEY);
  return s && s.accessToken ? s : null;
}

/** set stores the tokens of a sign-in or refresh. @param {import('../../types').Tokens} t */
function set(t) {
  const s = { accessToken: t.access_token, refreshToken: t.refresh_token, user: t.user };
  wx.setStorageSync(KEY, s);
  return s;
}

/** setUser replaces the stored account (after GET /me). @param {import('../../types').User} u */
function setUser(u) {
  const s = get();
  if (s) wx.setStorageSync(KEY, { ...s, user: u });
}

/** clear forgets the session (sign-out, or a refresh token the server refused). */
function clear() {
  wx.removeStorageSync(KEY);
}

/** user returns the signed-in account or null. */
function user() {
  const s = get();
  return s ? s.user : null;
}

/** role is the signed-in account's role ('admin', 'inspector', 'enterprise'), or '' when signed out. */
function role() {
  const u = user();
  return u ? u.role : '';
}

/** staff reports whether the account works for the park (admin or inspector). */
function staff() {
  return role() === 'admin' || role() === 'inspector';
}

/**
 * key names an item of wx storage that belongs to the signed-in account (its outbox, drafts, the
 * Friday round), under the account's id: another account signed in on the same phone — a shift's
 * shared phone, a colleague's — neither sees it nor sends it as its own, and the first account finds
 * it again when it signs back in.
 * @param {string} name
 */
function key(name) {
  const u = user();
  return `parksafe.u${u && u.id ? u.id : 0}.${name}`;
}

module.exports = { get, set, setUser, clear, user, role, staff, key, KEY };
