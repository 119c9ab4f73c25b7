// format holds the labels and small conversions the pages share.
const config = require('../config');

/** The hazard statuses with their Chinese labels, as the server names them. */
const STATUS = [
  { value: '', label: '全部' },
  { value: 'pending_rectify', label: '待整改' },
  { value: 'pending_verify', label: '待验收' },
  { value: 'pending_approval', label: '待审批' },
  { value: 'closed', label: '已销号' },
  { value: 'void', label: '已作废' },
];

const CATEGORIES = [
  { value: 'equipment', label: '设备设施' },
  { value: 'operation', label: '作业行为' },
  { value: 'management', label: '安全管理' },
  { value: 'fire', label: '消防' },
  { value: 'hygiene', label: '环境卫生' },
  { value: 'environment', label: '环境保护' },
  { value: 'other', label: '其他' },
];

const LEVELS = [
  { value: 'general', label: '一般隐患' },
  { value: 'major', label: '重大隐患' },
];

/** statusTheme maps a hazard status to a t-tag theme. @param {string} s */
function statusTheme(s) {
  return { pending_rectify: 'warning', pending_verify: 'primary', pending_approval: 'danger', closed: 'success', void: 'default' }[s] || 'default';
}

/** RFC3339 matches a timestamp as the server writes it; its fraction may have any number of digits (Go writes up to nine). */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?([Zz]|[+-]\d{2}:?\d{2})$/;

/**
 * parse reads an instant: an RFC 3339 timestamp or epoch milliseconds. It returns the epoch
 * milliseconds and the park's offset from UTC at that instant in minutes — the timestamp's own offset,
 * since the server writes instants in the park's zone, else config.parkUtcOffset (a "Z" timestamp,
 * or milliseconds taken on the phone) — or null when t is neither. It does not use Date.parse, which
 * ECMAScript leaves free to refuse the nine-digit fractions the server may send.
 * @param {string|number} t @returns {{ms: number, offset: number}|null}
 */
function parse(t) {
  if (typeof t === 'number') return Number.isFinite(t) ? { ms: t, offset: config.parkUtcOffset } : null;
  const m = RFC3339.exec(t || '');
  if (!m) return null;
  let offset = config.parkUtcOffset;
  let written = 0;
  if (m[8] !== 'Z' && m[8] !== 'z') {
    const hhmm = m[8].slice(1).replace(':', '');
    offset = written = (m[8][0] === '-' ? -1 : 1) * (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(2)));
  }
  const frac = m[7] ? Number((m[7] + '00').slice(0, 3)) : 0;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] || 0), frac) - written * 60000;
  return { ms, offset };
}

/** instant returns t (see parse) as epoch milliseconds, NaN when it is not an instant. @param {string|number} t */
function instant(t) {
  const p = parse(t);
  return p ? p.ms : NaN;
}

/** clock is the park's wall clock at an instant, as a Date to be read with its UTC getters. @param {{ms: number, offset: number}} p */
function clock(p) {
  return new Date(p.ms + p.offset * 60000);
}

const pad = (n) => (n < 10 ? '0' : '') + n;

/**
 * dateTime shows an instant (a timestamp from the server, or epoch milliseconds taken on the phone) in
 * park time, the way people read it: "11月27日 02:34", with the year in front when it is not the
 * park's current year. The phone's own time zone plays no part. Anything that is not an instant is
 * shown as it is.
 * @param {string|number} t
 */
function dateTime(t) {
  const p = parse(t);
  if (!p) return typeof t === 'string' ? t : '';
  const c = clock(p);
  const thisYear = clock({ ms: Date.now(), offset: config.parkUtcOffset }).getUTCFullYear();
  const year = c.getUTCFullYear() === thisYear ? '' : c.getUTCFullYear() + '年';
  return `${year}${c.getUTCMonth() + 1}月${c.getUTCDate()}日 ${pad(c.getUTCHours())}:${pad(c.getUTCMinutes())}`;
}

/** parkDate returns the park's date (YYYY-MM-DD) at an instant (see parse); '' when t is not one. @param {string|number} t */
function parkDate(t) {
  const p = parse(t);
  return p ? clock(p).toISOString().slice(0, 10) : '';
}

/** addDays returns the date d (YYYY-MM-DD) plus n days, by the calendar. @param {string} d @param {number} n */
function addDays(d, n) {
  const [y, m, day] = d.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, day + n));
  return t.toISOString().slice(0, 10);
}

/**
 * parkToday returns today's date in the park, whatever the phone's zone.
 * @param {Date} [now]
 */
function parkToday(now) {
  return parkDate(now ? now.getTime() : Date.now());
}

/** recordPage maps a notification link ("hazard:12") to the page that shows the record. @param {string} link */
function recordPage(link) {
  const [kind, id] = (link || '').split(':');
  const pages = { hazard: '/pages/hazards/detail', interview: '/pages/interviews/detail', bulletin: '/pages/bulletins/detail' };
  return pages[kind] && id ? `${pages[kind]}?id=${id}` : '';
}

module.exports = { STATUS, CATEGORIES, LEVELS, statusTheme, instant, dateTime, parkDate, addDays, parkToday, recordPage };
