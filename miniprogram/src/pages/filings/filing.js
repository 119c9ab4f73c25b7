// filing holds what the filing pages share: the states with their tags, the steps a person may take
// in each state (the server's rules, so that a page offers only what will be accepted), and planned
// times entered as park date and time.
const config = require('../../config');
const format = require('../../utils/format');

/** STATES are the list's tabs; '' is every state. */
const STATES = [
  { value: '', label: '全部' },
  { value: 'draft', label: '草稿' },
  { value: 'submitted,resubmitted,pending_admin', label: '审核中' },
  { value: 'changes_requested', label: '待整改' },
  { value: 'approved', label: '待开工' },
  { value: 'in_progress', label: '作业中' },
  { value: 'completed', label: '已完工' },
  { value: 'cancelled,expired', label: '已取消/过期' },
];

/** THEME is a state's tag colour. */
const THEME = { draft: 'default', submitted: 'primary', resubmitted: 'primary', pending_admin: 'primary', changes_requested: 'warning',
  approved: 'success', in_progress: 'warning', completed: 'success', cancelled: 'default', expired: 'danger' };

/** WAITING are the states in which the work has not started and can still be cancelled. */
const BEFORE_WORK = ['draft', 'submitted', 'changes_requested', 'resubmitted', 'pending_admin', 'approved'];

/**
 * actionsOf lists the steps the signed-in user may take on filing f, by the server's rules: the
 * enterprise edits, submits, answers, starts, completes and cancels its own; the reviewer (or the
 * office) reviews; the office approves the highest grades and assigns reviewers; an inspector takes a
 * filing nobody reviews.
 * @param {any} f @param {{id: number, role: string}} me @returns {Record<string, boolean>}
 */
function actionsOf(f, me) {
  const s = f.status;
  const ent = me.role === 'enterprise';
  const admin = me.role === 'admin';
  const reviewer = f.reviewer && f.reviewer.id === me.id;
  const waiting = s === 'submitted' || s === 'resubmitted';
  return {
    edit: ent && s === 'draft',
    submit: ent && s === 'draft',
    answer: ent && s === 'changes_requested',
    start: ent && s === 'approved',
    complete: ent && s === 'in_progress',
    cancel: (ent || admin) && BEFORE_WORK.includes(s) && !(admin && s === 'draft'),
    review: waiting && (admin || (me.role === 'inspector' && reviewer)),
    approve: admin && s === 'pending_admin',
    assign: admin && (waiting || s === 'changes_requested'),
    take: me.role === 'inspector' && !f.reviewer && (waiting || s === 'changes_requested'),
  };
}

const pad = (n) => (n < 10 ? '0' : '') + n;

/** offset is the park's UTC offset as in RFC 3339 (+08:00). */
function offset() {
  const m = config.parkUtcOffset;
  const a = Math.abs(m);
  return (m < 0 ? '-' : '+') + pad(Math.floor(a / 60)) + ':' + pad(a % 60);
}

/** instantOf makes an RFC 3339 instant of a park date (YYYY-MM-DD) and time (HH:MM); '' without both. */
function instantOf(date, time) {
  return date && time ? `${date}T${time}:00${offset()}` : '';
}

/** partsOf splits an instant into the park's date and time for the pickers. @param {string} t */
function partsOf(t) {
  const ms = format.instant(t);
  if (Number.isNaN(ms)) return { date: '', time: '' };
  const c = new Date(ms + config.parkUtcOffset * 60000).toISOString();
  return { date: c.slice(0, 10), time: c.slice(11, 16) };
}

/** span shows a planned span: "12月3日 08:00 – 17:00", or both ends in full across days. */
function span(start, end) {
  const a = format.dateTime(start);
  const b = format.dateTime(end);
  return format.parkDate(start) === format.parkDate(end) ? `${a} – ${b.split(' ').pop()}` : `${a} – ${b}`;
}

/** row is a list or board entry as shown. */
function row(f) {
  return { ...f, theme: THEME[f.status] || 'default', when: span(f.planned_start, f.planned_end) };
}

module.exports = { STATES, THEME, actionsOf, instantOf, partsOf, span, row };
