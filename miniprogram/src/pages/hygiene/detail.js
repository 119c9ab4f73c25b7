// One Friday check: the three areas with photos and notes, each failed area's hazard as it stands
// now. Inspectors correct a check here while its hazards are still open (待整改): a rating changed
// from failed to passed voids the area's hazard, from passed to failed opens one (note and photos).
const api = require('../../utils/api');
const format = require('../../utils/format');
const outbox = require('../../utils/outbox');
const photo = require('../../utils/photo');
const session = require('../../utils/session');

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: { c: {}, canCorrect: false, editing: false, e: {}, fields: {}, error: '', notice: '', busy: false },
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
        const c = await api.get('/hygiene-checks/' + this._id);
        const staff = session.staff();
        c.areas = c.areas.map((a) => ({ ...a, theme: format.statusTheme(a.hazard_status) }));
        this._renewed = {};
        this.setData({ c, error: '', canCorrect: staff && c.areas.every((a) => !a.hazard_status || a.hazard_status === 'pending_rectify') });
      } catch (err) {
        this.setData({ error: api.messageOf(err) });
      }
    },
    onEdit() {
      const c = this.data.c;
      this._key = api.newKey();
      this.setData({ editing: true, notice: '', fields: {}, e: { deadline: c.deadline || format.addDays(format.parkToday(), 3),
        areas: c.areas.map((a) => ({ area: a.area, label: a.area_label, was: a.passed, passed: a.passed, note: a.note, photos: [] })) } });
    },
    onCancel() {
      this.setData({ editing: false, fields: {} });
    },
    onRate(e) {
      const { index, passed } = e.currentTarget.dataset;
      this.setData({ [`e.areas[${index}].passed`]: passed === 'yes', fields: {} });
    },
    onNote(e) {
      this.setData({ [`e.areas[${e.currentTarget.dataset.index}].note`]: e.detail.value });
    },
    async onPhoto(e) {
      const i = Number(e.currentTarget.dataset.index);
      const taken = await photo.take(9 - this.data.e.areas[i].photos.length);
      if (taken.length) this.setData({ [`e.areas[${i}].photos`]: this.data.e.areas[i].photos.concat(taken), fields: {} });
    },
    onDeadline(e) {
      this.setData({ 'e.deadline': e.detail.value });
    },
    async onSave() {
      const { e, c } = this.data;
      /** @type {Record<string,string>} */
      const fields = {};
      const areas = [];
      const photos = [];
      e.areas.forEach((a, i) => {
        const orig = c.areas[i];
        if (a.passed === a.was && a.note === orig.note) return;
        const patch = { area: a.area, passed: a.passed, note: a.passed ? '' : a.note.trim() };
        if (!a.passed && !patch.note) fields[`area${i}note`] = `请写明${a.label}存在的问题`;
        if (!a.passed && a.was) {
          if (!a.photos.length) fields[`area${i}photo`] = `请拍摄${a.label}的现场照片`;
          a.photos.forEach((p) => photos.push({ ...p, field: `areas.${areas.length}.photo_ids` }));
        }
        areas.push(patch);
      });
      const failed = e.areas.some((a) => !a.passed);
      if (Object.keys(fields).length) {
        this.setData({ fields });
        return;
      }
      const body = { version: c.version, areas };
      if (failed && e.deadline !== c.deadline) body.deadline = e.deadline;
      if (!areas.length && !body.deadline) {
        this.setData({ editing: false });
        return;
      }
      this.setData({ busy: true, error: '' });
      try {
        const r = await outbox.submit({ key: this._key, kind: 'hygiene-correction', method: 'PATCH', path: '/hygiene-checks/' + c.id,
          body, photos, title: `更正卫生检查：${c.enterprise_name}` });
        this.setData({ busy: false, editing: false, notice: r.sent ? '已更正' : '已保存，联网后自动提交更正' });
        if (r.sent) await this.load();
      } catch (err) {
        this.setData({ busy: false, error: api.messageOf(err), fields: err.fields || {} });
        if (err.status === 409) {
          this.setData({ editing: false });
          await this.load();
          this.setData({ error: api.messageOf(err) });
        }
      }
    },
    onOpenHazard(e) {
      const id = e.currentTarget.dataset.id;
      if (id) wx.navigateTo({ url: '/pages/hazards/detail?id=' + id });
    },
    onPreview(e) {
      const a = this.data.c.areas[e.currentTarget.dataset.area];
      photo.preview(a.photos.map((p) => p.url), a.photos[e.currentTarget.dataset.index].url);
    },
    onImageError: photo.onImageError,
  },
}));
