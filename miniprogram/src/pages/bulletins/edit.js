// Writing a bulletin (admin): a new one (通知公告, 隐患通报), a weekly notice generated from the week's
// hygiene round or leader inspections, or an edit of a draft or failed one. The content is Markdown;
// photos go in as ![说明](photo:ID) after uploading, and a cover can be set. Unsaved edits are kept on
// the phone; saving sends the version it started from, so two editors cannot overwrite each other.
const api = require('../../utils/api');
const draft = require('../../utils/draft');
const photo = require('../../utils/photo');
const week = require('../../utils/week');

const KINDS = [
  { value: 'general', label: '通知公告' },
  { value: 'hazard_notice', label: '隐患通报' },
];
const WEEKLY = [
  { value: 'hygiene_weekly', label: '卫生检查周通报' },
  { value: 'leader_weekly', label: '带队检查周通报' },
];

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: { mode: 'new', kinds: KINDS.map((k) => k.label), weekly: WEEKLY.map((k) => k.label), kindIndex: 0, week: '', weekLabel: '',
    d: {}, cover: '', fields: {}, error: '', busy: false },
  methods: {
    async onLoad(query) {
      if (query.generate) {
        const w = week.current();
        this._key = api.newKey();
        this.setData({ mode: 'generate', week: w, weekLabel: week.label(w) });
        wx.setNavigationBarTitle({ title: '生成周通报' });
        return;
      }
      if (query.id) {
        this._id = Number(query.id);
        this._name = 'bulletin.' + this._id;
        this.setData({ mode: 'edit' });
        try {
          const b = await api.get('/bulletins/' + this._id);
          const kept = draft.get(this._name);
          const d = kept && kept.version === b.version ? kept : { title: b.title, content_markdown: b.content_markdown, version: b.version,
            cover_photo_id: b.cover_photo ? b.cover_photo.id : 0, kind: b.kind, number: b.number, kind_label: b.kind_label };
          this.setData({ cover: b.cover_photo ? b.cover_photo.thumb_url : '' });
          this.show({ ...d, id: d.id || api.newKey(), key: d.key || api.newKey(), photos: [] });
        } catch (e) {
          this.setData({ error: api.messageOf(e) });
        }
        return;
      }
      this._name = 'bulletin.new';
      this.show(draft.load(this._name, () => ({ title: '', content_markdown: '', kind: 'general', cover_photo_id: 0 })));
      wx.setNavigationBarTitle({ title: '写通报' });
    },
    show(d) {
      draft.save(this._name, d);
      this.setData({ d, kindIndex: Math.max(0, KINDS.findIndex((k) => k.value === d.kind)) });
    },
    onText(e) {
      const f = e.currentTarget.dataset.field;
      this.show({ ...this.data.d, [f]: e.detail.value });
      if (this.data.fields[f]) this.setData({ fields: { ...this.data.fields, [f]: '' } });
    },
    onKind(e) {
      this.show({ ...this.data.d, kind: KINDS[Number(e.detail.value)].value });
    },
    onWeeklyKind(e) {
      this.setData({ kindIndex: Number(e.detail.value) });
    },
    onPrevWeek() {
      const w = week.shift(this.data.week, -1);
      this.setData({ week: w, weekLabel: week.label(w) });
    },
    onNextWeek() {
      if (this.data.week >= week.current()) return;
      const w = week.shift(this.data.week, 1);
      this.setData({ week: w, weekLabel: week.label(w) });
    },
    async onGenerate() {
      this.setData({ busy: true, error: '' });
      try {
        const b = await api.request('POST', '/bulletins/generate', { key: this._key,
          data: { kind: WEEKLY[this.data.kindIndex].value, week: this.data.week } });
        this.setData({ busy: false });
        wx.redirectTo({ url: '/pages/bulletins/edit?id=' + b.id });
      } catch (e) {
        this.setData({ busy: false, error: api.messageOf(e) });
      }
    },
    /** uploadOne takes one photo and uploads it; null when the user cancels or it fails (error shown). */
    async uploadOne() {
      const [p] = await photo.take(1);
      if (!p) return null;
      this.setData({ busy: true, error: '' });
      try {
        const up = await api.upload({ ...p, key: api.newKey() });
        this.setData({ busy: false });
        return up;
      } catch (e) {
        this.setData({ busy: false, error: api.messageOf(e) });
        return null;
      }
    },
    async onCover() {
      const up = await this.uploadOne();
      if (up) {
        this.show({ ...this.data.d, cover_photo_id: up.id });
        this.setData({ cover: up.thumb_url });
      }
    },
    onRemoveCover() {
      this.show({ ...this.data.d, cover_photo_id: 0 });
      this.setData({ cover: '' });
    },
    async onInsertPhoto() {
      const up = await this.uploadOne();
      if (up) this.show({ ...this.data.d, content_markdown: `${this.data.d.content_markdown.replace(/\s*$/, '')}\n\n![现场照片](photo:${up.id})\n` });
    },
    async onSave() {
      const d = this.data.d;
      /** @type {Record<string,string>} */
      const fields = {};
      if (!d.title.trim()) fields.title = '请填写标题';
      if (!d.content_markdown.trim()) fields.content_markdown = '请填写正文';
      if (Object.keys(fields).length) {
        this.setData({ fields });
        return;
      }
      this.setData({ busy: true, error: '', fields: {} });
      const body = { title: d.title.trim(), content_markdown: d.content_markdown, cover_photo_id: d.cover_photo_id || 0 };
      try {
        const b = this.data.mode === 'edit'
          ? await api.request('PATCH', '/bulletins/' + this._id, { data: { ...body, version: d.version } })
          : await api.request('POST', '/bulletins', { key: d.key, data: { ...body, kind: d.kind,
            cover_photo_id: d.cover_photo_id || undefined } });
        draft.clear(this._name);
        this.setData({ busy: false });
        wx.showToast({ title: '已保存', icon: 'success' });
        wx.redirectTo({ url: '/pages/bulletins/detail?id=' + b.id });
      } catch (e) {
        this.setData({ busy: false, error: api.messageOf(e), fields: e.fields || {} });
      }
    },
  },
}));
