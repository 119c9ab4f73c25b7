// format holds the labels and small conversions the pages share.

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

/** dateTime shows an RFC 3339 instant as the park wrote it: "2026-03-06 14:05". @param {string} t */
function dateTime(t) {
  return t ? t.slice(0, 16).replace('T', ' ') : '';
}

/** addDays returns the date d (YYYY-MM-DD) plus n days, by the calendar. @param {string} d @param {number} n */
function addDays(d, n) {
  const [y, m, day] = d.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, day + n));
  return t.toISOString().slice(0, 10);
}

/**
 * parkToday returns today's date in the park (UTC+8, no daylight saving), whatever the phone's zone.
 * @param {Date} [now]
 */
function parkToday(now) {
  return new Date((now || new Date()).getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/** recordPage maps a notification link ("hazard:12") to the page that shows the record. @param {string} link */
function recordPage(link) {
  const [kind, id] = (link || '').split(':');
  const pages = { hazard: '/pages/hazards/detail', interview: '/pages/interviews/detail', bulletin: '/pages/bulletins/detail' };
  return pages[kind] && id ? `${pages[kind]}?id=${id}` : '';
}

module.exports = { STATUS, CATEGORIES, LEVELS, statusTheme, dateTime, addDays, parkToday, recordPage };
