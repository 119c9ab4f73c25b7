// week does ISO-week arithmetic on the park's calendar (dates as YYYY-MM-DD, weeks as YYYY-Www), the
// way the server names weeks, without the phone's time zone getting a say.
const format = require('./format');
const session = require('./session');

/** @param {string} d @returns {Date} midnight UTC of the date, used only as a calendar day */
function day(d) {
  const [y, m, dd] = d.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, dd));
}

/** weekOf returns the ISO week (YYYY-Www) the date belongs to. @param {string} d */
function weekOf(d) {
  const t = day(d);
  const wd = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - wd); // the Thursday of the week decides its year
  const year = t.getUTCFullYear();
  const n = Math.floor((t.getTime() - Date.UTC(year, 0, 1)) / 864e5 / 7) + 1;
  return `${year}-W${n < 10 ? '0' : ''}${n}`;
}

/** mondayOf returns the date of the week's Monday. @param {string} w */
function mondayOf(w) {
  const m = /^(\d{4})-W(\d{2})$/.exec(w);
  if (!m) return '';
  const jan4 = Date.UTC(Number(m[1]), 0, 4);
  const wd = new Date(jan4).getUTCDay() || 7;
  return new Date(jan4 + ((Number(m[2]) - 1) * 7 - (wd - 1)) * 864e5).toISOString().slice(0, 10);
}

/** dayOf returns the date of the week's ISO weekday n (1 Monday … 7 Sunday). */
function dayOf(w, n) {
  return format.addDays(mondayOf(w), n - 1);
}

/** shift returns the week n weeks after w (before it when n is negative). @param {string} w @param {number} n */
function shift(w, n) {
  return weekOf(format.addDays(mondayOf(w), 7 * n));
}

/** label names a week as people say it: "2026年第49周（11月30日–12月6日）". @param {string} w */
function label(w) {
  const mon = mondayOf(w);
  if (!mon) return w;
  const sun = format.addDays(mon, 6);
  const md = (d) => `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
  return `${w.slice(0, 4)}年第${Number(w.slice(6))}周（${md(mon)}–${md(sun)}）`;
}

/** current is the park's week now: from the server's calendar when known, else the park's UTC+8 date. */
function current() {
  const u = /** @type {any} */ (session.user());
  const park = u && u.park;
  return park && park.week ? park.week : weekOf(format.parkToday());
}

module.exports = { weekOf, mondayOf, dayOf, shift, label, current };
