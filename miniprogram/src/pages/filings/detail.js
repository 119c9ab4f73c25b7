// One filing and where it stands: its plan, people, permit and photos, the reviewer's suggestions
// with the enterprise's answers, the timeline, and the steps this person may take now — the reviewer
// approves or asks for changes item by item, the office approves the highest grades and assigns
// reviewers, the enterprise answers each item with a note and a photo and resubmits, starts and
// completes the work with photos of the site, or cancels with a reason. Opened by the filing
// subscribe messages (pages/filings/detail?id=), a path the server relies on.
const api = require('../../utils/api');
const draft = require('../../utils/draft');
const format = require('../../utils/format');
const outbox = require('../../utils/outbox');
const photo = require('../../utils/photo');
const session = require('../../utils/session');
const filing = require('./filing');

/** MAX_ITEMS is how many suggestions one request for changes carries (the server's limit). */
const MAX_ITEMS = 20;
/** TITLES name each step's form. */
const TITLES = { review: '审核', approve: '园区审批', assign: '指派审核人', answer: '逐条整改答复', start: '开工', complete: '完工',
  cancel: '取消报备' };

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: { f: {}, can: {}, mode: '', modeTitle: '', form: {}, inspectors: [], inspectorNames: [], fields: {}, error: '', notice: '',
    busy: false, when: '', events: [], items: [], open: [] },
  methods: {
    onLoad(query) {
      this._id = Number(query.id);
      return this.load();
    },
    async onPullDownRefresh() {
      await this.load();
      wx.stopPullDownRefresh();
    },
    async load() {
      try {
        this.show(await api.get('/filings/' + this._id));
        this.setData({ error: '' });
      } catch (e) {
        this.setData({ error: api.messageOf(e) });
      }
    },
    /** show puts a filing from the server on the page. */
    show(f) {
      const me = /** @type {any} */ (session.user() || {});
      this.setData({ f, can: filing.actionsOf(f, me), theme: filing.THEME[f.status], when: filing.span(f.planned_start, f.planned_end),
        items: (f.items || []).map((it) => ({ ...it, at: format.dateTime(it.answered_at || '') })),
        events: (f.events || []).map((ev) => ({ ...ev, at: format.dateTime(ev.created_at) })).reverse() });
    },
    onImageError: photo.onImageError,
    onPreview(e) {
      photo.preview([e.currentTarget.dataset.url], e.currentTarget.dataset.url);
    },
    async onMode(e) {
      const mode = e.currentTarget.dataset.mode;
      const f = this.data.f;
      /** @type {Record<string, any>} */
      let form = { comment: '', photos: [] };
      if (mode === 'review' || mode === 'approve') form = { approved: true, comment: '', items: [''] };
      if (mode === 'cancel') form = { reason: '' };
      if (mode === 'assign') form = { index: -1 };
      if (mode === 'answer') {
        // Answers are a draft on the phone until the server has them, photos included.
        form = draft.get('filing-answer.' + f.id) || { id: api.newKey(), key: api.newKey(), comment: '', photos: [],
          answers: f.items.filter((it) => it.status === 'open').map((it) => ({ item_id: it.id, seq: it.seq, content: it.content, note: '' })) };
      }
      if (mode === 'start' || mode === 'complete') form = draft.get(`filing-${mode}.${f.id}`) || { id: api.newKey(), key: api.newKey(), comment: '', photos: [] };
      this.setData({ mode, modeTitle: TITLES[mode], form, fields: {}, notice: '', error: '' });
      if (mode === 'assign') await this.loadInspectors();
    },
    async loadInspectors() {
      try {
        const l = await api.get('/users', { role: 'inspector', status: 'active', page_size: 100 });
        this.setData({ inspectors: l.items, inspectorNames: l.items.map((u) => u.name) });
      } catch (e) {
        this.setData({ error: api.messageOf(e) });
      }
    },
    onClose() {
      this.setData({ mode: '', fields: {} });
    },
    /** keep stores a form with photos as a draft, so a call or a killed app loses nothing. */
    keep(form) {
      const m = this.data.mode;
      if (m === 'answer' || m === 'start' || m === 'complete') draft.save(`filing-${m}.${this.data.f.id}`, form);
      this.setData({ form });
    },
    onText(e) {
      const k = e.currentTarget.dataset.field;
      const form = { ...this.data.form };
      const i = e.currentTarget.dataset.index;
      if (k === 'item') form.items = form.items.map((x, j) => (j === i ? e.detail.value : x));
      else if (k === 'note') form.answers = form.answers.map((a, j) => (j === i ? { ...a, note: e.detail.value } : a));
      else form[k] = e.detail.value;
      this.keep(form);
      const fk = k === 'item' ? `items.${i}` : k === 'note' ? `answers.${i}.note` : k;
      if (this.data.fields[fk]) this.setData({ fields: { ...this.data.fields, [fk]: '' } });
    },
    onDecision(e) {
      this.keep({ ...this.data.form, approved: e.currentTarget.dataset.approved === 'yes' });
    },
    onAddItem() {
      const items = this.data.form.items;
      if (items.length < MAX_ITEMS) this.keep({ ...this.data.form, items: items.concat('') });
    },
    onRemoveItem(e) {
      const i = e.currentTarget.dataset.index;
      this.keep({ ...this.data.form, items: this.data.form.items.filter((_, j) => j !== i) });
    },
    onInspector(e) {
      this.setData({ 'form.index': Number(e.detail.value), fields: {} });
    },
    async onAddPhoto(e) {
      const field = e.currentTarget.dataset.field || '';
      const have = this.data.form.photos.filter((p) => (p.field || '') === field).length;
      const taken = await photo.take(9 - have);
      if (!taken.length) return;
      const added = draft.keepPhotos(taken).map((p) => (field ? { ...p, field } : p));
      this.keep({ ...this.data.form, photos: this.data.form.photos.concat(added) });
      if (this.data.fields[field || 'photo_ids']) this.setData({ fields: { ...this.data.fields, [field || 'photo_ids']: '' } });
    },
    onRemovePhoto(e) {
      const p = e.currentTarget.dataset.path;
      this.keep({ ...this.data.form, photos: this.data.form.photos.filter((x) => x.path !== p) });
    },
    async onSave() {
      const { mode, form, f } = this.data;
      /** @type {Record<string, string>} */
      const fields = {};
      if ((mode === 'review' || mode === 'approve') && !form.approved) {
        form.items.forEach((x, i) => {
          if (!x.trim()) fields[`items.${i}`] = '请填写整改意见，或删除这一条';
        });
        if (!form.items.length) fields.items = '请至少提出一条整改意见';
      }
      if (mode === 'cancel' && !form.reason.trim()) fields.reason = '请填写取消原因';
      if (mode === 'assign' && form.index < 0) fields.reviewer_id = '请选择审核人';
      if (mode === 'answer') {
        form.answers.forEach((a, i) => {
          if (!a.note.trim()) fields[`answers.${i}.note`] = '请说明整改情况';
          if (!form.photos.some((p) => p.field === `answers.${i}.photo_ids`)) fields[`answers.${i}.photo_ids`] = '请拍一张整改后的照片';
        });
      }
      if ((mode === 'start' || mode === 'complete') && !form.photos.length) {
        fields.photo_ids = mode === 'start' ? '请拍一张开工前现场照片' : '请拍一张完工后现场恢复的照片';
      }
      if (Object.keys(fields).length) {
        this.setData({ fields, error: '请检查标红的内容' });
        return;
      }
      this.setData({ busy: true, error: '', fields: {} });
      const path = `/filings/${f.id}/`;
      try {
        let next;
        let queued = false;
        if (mode === 'review' || mode === 'approve') {
          next = await api.post(path + mode, { approved: form.approved, comment: form.comment.trim(),
            items: form.approved ? [] : form.items.map((x) => x.trim()), version: f.version }, api.newKey());
        } else if (mode === 'assign') {
          next = await api.post(path + 'assign', { reviewer_id: this.data.inspectors[form.index].id, version: f.version }, api.newKey());
        } else if (mode === 'take') {
          next = await api.post(path + 'assign', { reviewer_id: (session.user() || {}).id, version: f.version }, api.newKey());
        } else if (mode === 'cancel') {
          next = await api.post(path + 'cancel', { reason: form.reason.trim(), version: f.version }, api.newKey());
        } else {
          // Steps taken on site carry photos: through the outbox, sent once whenever the signal allows.
          const body = mode === 'answer'
            ? { comment: form.comment.trim(), answers: form.answers.map((a) => ({ item_id: a.item_id, note: a.note.trim(), photo_ids: [] })) }
            : { comment: form.comment.trim(), photo_ids: [] };
          const r = await outbox.submit({ id: form.id, key: form.key, kind: 'filing', path: path + (mode === 'answer' ? 'resubmit' : mode),
            body: { ...body, version: f.version }, photoField: mode === 'answer' ? undefined : 'photo_ids', photos: form.photos,
            title: `${TITLES[mode]}：${f.title}（${f.code}）` });
          draft.clear(`filing-${mode}.${f.id}`);
          queued = !r.sent;
          next = r.result;
        }
        this.setData({ busy: false, mode: '', notice: queued ? '已保存在“待发送”，联网后自动发送' : `已${TITLES[mode === 'take' ? 'assign' : mode]}` });
        if (next) this.show(next);
      } catch (err) {
        const kept = err.item;
        if (kept) this.keep({ ...this.data.form, key: kept.key, photos: kept.photos });
        this.setData({ busy: false, error: api.messageOf(err), fields: err.fields || {} });
        if (err.status === 409) await this.load();
      }
    },
    onTake() {
      this.setData({ mode: 'take', form: {} });
      return this.onSave();
    },
    onEdit() {
      wx.navigateTo({ url: '/pages/filings/form?id=' + this.data.f.id });
    },
    async onSubmitDraft() {
      this.setData({ busy: true, error: '', fields: {} });
      try {
        this.show(await api.post(`/filings/${this.data.f.id}/submit`, { version: this.data.f.version }, api.newKey()));
        this.setData({ busy: false, notice: '已提交' });
      } catch (err) {
        this.setData({ busy: false, error: api.messageOf(err), fields: err.fields || {} });
      }
    },
  },
}));
