// Hazard detail: photos (full size on tap), the record, rectifications, extensions and timeline, and
// the actions this person may take in this state: rectify or ask for more time (enterprise), verify
// or reject with a reason and void (inspector, admin), approve a major hazard (admin), decide an
// extension (inspector, admin).
const api = require('../../utils/api');
const session = require('../../utils/session');
const format = require('../../utils/format');
const photo = require('../../utils/photo');

/** @typedef {{title: string, confirm: string, theme: string, placeholder: string, required: boolean, path: string,
 *   body: (f: any, v: number) => Record<string, any>, idempotent?: boolean}} FormDef */

/** @type {Record<string, FormDef>} */
const FORMS = {
  pass: { title: '验收通过', confirm: '确认通过', theme: 'primary', placeholder: '验收意见（选填）', required: false, path: 'verify',
    body: (f, v) => ({ approved: true, comment: f.comment, version: v }) },
  reject: { title: '验收驳回', confirm: '确认驳回', theme: 'danger', placeholder: '驳回原因（必填），企业将按此重新整改', required: true,
    path: 'verify', body: (f, v) => ({ approved: false, comment: f.comment, version: v }) },
  approve: { title: '审批销号', confirm: '同意销号', theme: 'primary', placeholder: '审批意见（选填）', required: false, path: 'approve',
    body: (f, v) => ({ approved: true, comment: f.comment, version: v }) },
  disapprove: { title: '退回重新整改', confirm: '确认退回', theme: 'danger', placeholder: '退回原因（必填）', required: true, path: 'approve',
    body: (f, v) => ({ approved: false, comment: f.comment, version: v }) },
  void: { title: '作废隐患', confirm: '确认作废', theme: 'danger', placeholder: '作废原因（必填），如重复上报', required: true, path: 'void',
    body: (f, v) => ({ reason: f.comment, version: v }) },
  extension: { title: '申请延期', confirm: '提交申请', theme: 'primary', placeholder: '延期原因（必填）', required: true, path: 'extension',
    body: (f, v) => ({ deadline: f.deadline, reason: f.comment, version: v }), idempotent: true },
  grant: { title: '同意延期', confirm: '同意', theme: 'primary', placeholder: '意见（选填）', required: false, path: 'extension/decision',
    body: (f, v) => ({ approved: true, comment: f.comment, version: v }) },
  refuse: { title: '不同意延期', confirm: '不同意', theme: 'danger', placeholder: '原因（必填）', required: true, path: 'extension/decision',
    body: (f, v) => ({ approved: false, comment: f.comment, version: v }) },
};

/**
 * actionsFor lists what role may do to h now.
 * @param {string} role @param {import('../../../types').Hazard} h
 */
function actionsFor(role, h) {
  const staff = role === 'inspector' || role === 'admin';
  const open = ['pending_rectify', 'pending_verify', 'pending_approval'].includes(h.status);
  const pendingExt = h.extensions.some((x) => x.status === 'pending');
  const a = [];
  const add = (key, label, theme = 'primary', variant = 'base') => a.push({ key, label, theme, variant });
  if (role === 'enterprise' && h.status === 'pending_rectify') {
    add('rectify', '提交整改');
    if (!pendingExt) add('extension', '申请延期', 'default', 'outline');
  }
  if (staff && h.status === 'pending_verify') {
    add('pass', '验收通过');
    add('reject', '驳回', 'danger', 'outline');
  }
  if (role === 'admin' && h.status === 'pending_approval') {
    add('approve', '同意销号');
    add('disapprove', '退回', 'danger', 'outline');
  }
  if (staff && pendingExt && h.status === 'pending_rectify') {
    add('grant', '同意延期');
    add('refuse', '不同意延期', 'danger', 'outline');
  }
  if (staff && open) add('void', '作废', 'default', 'text');
  return a;
}

/**
 * withTimes adds what the page shows of each instant, in park time: when the hazard was reported
 * (created), and each rectification's and timeline event's time.
 * @param {import('../../../types').Hazard} h
 */
function withTimes(h) {
  return { ...h, created: format.dateTime(h.created_at), rectifications: h.rectifications.map((r) => ({ ...r, time: format.dateTime(r.created_at) })),
    events: h.events.map((e) => ({ ...e, time: format.dateTime(e.created_at) })) };
}

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: { h: {}, theme: 'default', actions: [], form: {}, fields: {}, busy: false, error: '', notice: '', minDate: '' },
  methods: {
    onLoad(query) {
      this._id = Number(query.id);
      this._loaded = false;
      return this.load();
    },
    onShow() {
      // The first show follows onLoad, which loads; later ones are returns from rectifying.
      if (!this._shownOnce) {
        this._shownOnce = true;
        return null;
      }
      return this.load();
    },
    async onPullDownRefresh() {
      await this.load();
      wx.stopPullDownRefresh();
    },
    async load() {
      try {
        /** @type {import('../../../types').Hazard} */
        const h = await api.get('/hazards/' + this._id);
        const u = session.user();
        this._loaded = true;
        this._renewed = {};
        this.setData({ h: withTimes(h), theme: format.statusTheme(h.status),
          actions: actionsFor(u ? u.role : '', h), error: '', minDate: format.addDays(h.deadline, 1) });
      } catch (e) {
        this.setData({ error: api.messageOf(e) });
      }
    },
    onAction(e) {
      const key = e.currentTarget.dataset.key;
      if (key === 'rectify') {
        wx.navigateTo({ url: `/pages/hazard-forms/rectify?id=${this._id}&version=${this.data.h.version}` });
        return;
      }
      const def = FORMS[key];
      this._key = def.idempotent ? api.newKey() : '';
      this.setData({ form: { mode: key, title: def.title, confirm: def.confirm, theme: def.theme, placeholder: def.placeholder,
        comment: '', deadline: '' }, fields: {}, notice: '' });
    },
    onComment(e) {
      this.setData({ 'form.comment': e.detail.value, fields: {} });
    },
    onFormDeadline(e) {
      this.setData({ 'form.deadline': e.detail.value, fields: {} });
    },
    onCancel() {
      this.setData({ form: {}, fields: {} });
    },
    async onConfirm() {
      const f = this.data.form;
      const def = FORMS[f.mode];
      /** @type {Record<string, string>} */
      const fields = {};
      if (def.required && !f.comment.trim()) fields.comment = '请填写' + def.placeholder.replace(/（.*$/, '');
      if (f.mode === 'extension' && !f.deadline) fields.deadline = '请选择新的整改期限';
      if (Object.keys(fields).length) {
        this.setData({ fields });
        return;
      }
      this.setData({ busy: true, error: '' });
      try {
        /** @type {import('../../../types').Hazard} */
        const h = await api.request('POST', `/hazards/${this._id}/${def.path}`, { data: def.body({ ...f, comment: f.comment.trim() }, this.data.h.version),
          key: this._key || undefined });
        const u = session.user();
        this.setData({ busy: false, form: {}, fields: {}, notice: def.title + '：已提交', h: withTimes(h), theme: format.statusTheme(h.status),
          actions: actionsFor(u ? u.role : '', h) });
      } catch (err) {
        this.setData({ busy: false, error: api.messageOf(err), fields: err.fields || {} });
        if (err.status === 409) {
          await this.load(); // someone else acted first: show the state as it is now
          this.setData({ error: api.messageOf(err) });
        }
      }
    },
    onPreview(e) {
      const { rect, index } = e.currentTarget.dataset;
      const list = rect === undefined ? this.data.h.photos : this.data.h.rectifications[rect].photos;
      photo.preview(list.map((p) => p.url), list[index].url);
    },
    onImageError: photo.onImageError,
  },
}));
