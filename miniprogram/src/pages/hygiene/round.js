// round keeps the week's Friday round on the phone: every enterprise of the board in name order and
// whether it is checked, so that "下一家" still knows where to go when the signal drops mid-round.
const api = require('../../utils/api');
const outbox = require('../../utils/outbox');
const session = require('../../utils/session');
const week = require('../../utils/week');

/** key is where the signed-in inspector's round is kept. */
const key = () => session.key('hygiene.round');

/** @typedef {{id: number, name: string, checked: boolean}} Entry */

/** save keeps a board (GET /hygiene-checks/weeks/{week}) as the round. @param {any} board */
function save(board) {
  /** @type {Entry[]} */
  const entries = board.checked.map((c) => ({ id: c.enterprise_id, name: c.enterprise_name, checked: true }))
    .concat(board.not_checked.map((e) => ({ id: e.enterprise_id, name: e.enterprise_name, checked: false })));
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id));
  wx.setStorageSync(key(), { week: board.week, entries });
  return entries;
}

/** @returns {{week: string, entries: Entry[]}|null} */
function load(w) {
  const r = wx.getStorageSync(key());
  return r && r.week === w ? r : null;
}

/** refresh reads the week's board from the server and keeps it. @param {string} w */
async function refresh(w) {
  const board = await api.get('/hygiene-checks/weeks/' + w);
  save(board);
  return board;
}

/** markChecked notes on the phone that an enterprise was checked (its check may still be in the outbox). */
function markChecked(w, id) {
  const r = load(w);
  if (!r) return;
  for (const e of r.entries) if (e.id === id) e.checked = true;
  wx.setStorageSync(key(), r);
}

/** queued lists the enterprises whose check of week w waits in the outbox. @param {string} w */
function queued(w) {
  return outbox.list().filter((x) => x.path === '/hygiene-checks' && week.weekOf(x.body.check_date) === w).map((x) => x.body.enterprise_id);
}

/**
 * next returns the enterprise to check after the one with id: the first not checked (nor waiting in
 * the outbox) whose name comes after it in the board's order, else the first left from the top.
 * @param {string} w @param {number} id @returns {Entry|null}
 */
function next(w, id) {
  const r = load(w);
  if (!r) return null;
  const skip = new Set(queued(w).concat([id]));
  const left = r.entries.filter((e) => !e.checked && !skip.has(e.id));
  const cur = r.entries.find((e) => e.id === id);
  return (cur && left.find((e) => e.name > cur.name || (e.name === cur.name && e.id > cur.id))) || left[0] || null;
}

/** entry finds an enterprise of the round. */
function entry(w, id) {
  const r = load(w);
  return r ? r.entries.find((e) => e.id === id) || null : null;
}

module.exports = { save, load, refresh, markChecked, next, entry, queued };
