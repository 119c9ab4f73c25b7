// One interview and where it stands: 待约谈 → 已约谈 → 已办结. The admin records the interview (minutes,
// commitments, the feedback due date) and closes it with the result; the enterprise writes its
// feedback once the interview was held, before the due date. Opened by the interview_scheduled
// subscribe message (pages/interviews/detail?id=), a path the server relies on.
const api = require('../../utils/api');
const format = require('../../utils/format');
const session = require('../../utils/session');

const STEPS = [
  { value: 'scheduled', label: '待约谈' },
  { value: 'held', label: '已约谈' },
  { value: 'closed', label: '已办结' },
];

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: { iv: {}, steps: STEPS, step: 0, role: '', mode: '', f: {}, fields: {}, error: '', notice: '', busy: false },
  methods: {
    onLoad(query) {
      this._id = Number(query.id);
      this.setData({ role: session.role() });
      return this.load();
    },
    async onPullDownRefresh() {
      await this.load();
      wx.stopPullDownRefresh();
    },
    async load() {
      try {
        const iv = await api.get('/interviews/' + this._id);
        this.setData({ iv, step: STEPS.findIndex((s) => s.value === iv.status), when: format.dateTime(iv.scheduled_at),
          feedbackAt: format.dateTime(iv.feedback_at || ''), error: '' });
      } catch (e) {
        this.setData({ error: api.messageOf(e) });
      }
    },
    onMode(e) {
      const iv = this.data.iv;
      const mode = e.currentTarget.dataset.mode;
      this.setData({ mode, fields: {}, notice: '', f: { minutes: iv.minutes, commitments: iv.commitments, result: iv.result,
        feedback: iv.feedback, feedback_due: iv.feedback_due || format.addDays(format.parkDate(iv.scheduled_at), 7) } });
    },
    onCancel() {
      this.setData({ mode: '' });
    },
    onText(e) {
      const k = e.currentTarget.dataset.field;
      this.setData({ ['f.' + k]: e.detail.value, fields: { ...this.data.fields, [k]: '' } });
    },
    onDue(e) {
      this.setData({ 'f.feedback_due': e.detail.value });
    },
    async onSave() {
      const { mode, f, iv } = this.data;
      /** @type {Record<string, any>} */
      let body;
      /** @type {Record<string, string>} */
      const fields = {};
      if (mode === 'held') {
        if (!f.minutes.trim()) fields.minutes = '请填写约谈纪要';
        body = { status: 'held', minutes: f.minutes.trim(), commitments: f.commitments.trim(), feedback_due: f.feedback_due };
      } else if (mode === 'close') {
        if (!f.result.trim()) fields.result = '请填写约谈结果';
        body = { status: 'closed', result: f.result.trim(), minutes: f.minutes.trim() };
      } else {
        if (!f.feedback.trim()) fields.feedback = '请填写书面反馈';
        body = { feedback: f.feedback.trim() };
      }
      if (Object.keys(fields).length) {
        this.setData({ fields });
        return;
      }
      this.setData({ busy: true, error: '' });
      try {
        const next = await api.request('PATCH', '/interviews/' + iv.id, { data: { ...body, version: iv.version } });
        this.setData({ busy: false, mode: '', notice: { held: '已记录约谈', close: '约谈已办结', feedback: '书面反馈已提交' }[mode] });
        this.setData({ iv: next, step: STEPS.findIndex((s) => s.value === next.status), feedbackAt: format.dateTime(next.feedback_at || '') });
      } catch (err) {
        this.setData({ busy: false, error: api.messageOf(err), fields: err.fields || {} });
        if (err.status === 409) await this.load();
      }
    },
  },
}));
