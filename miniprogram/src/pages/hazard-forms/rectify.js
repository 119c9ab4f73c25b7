// Rectification by the enterprise: after-photos and what was done. A draft per hazard until sent;
// without network it goes to the outbox with the hazard's version, so that a hazard changed
// meanwhile is refused (and shown in the outbox) rather than overwritten.
const api = require('../../utils/api');
const draft = require('../../utils/draft');
const outbox = require('../../utils/outbox');
const photo = require('../../utils/photo');

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: { d: {}, fields: {}, error: '', busy: false },
  methods: {
    onLoad(query) {
      this._id = Number(query.id);
      this._name = 'rectify.' + this._id;
      const d = draft.load(this._name, () => ({ description: '' }));
      this.show({ ...d, version: Number(query.version) || d.version }); // the state the person is looking at
    },
    show(d) {
      draft.save(this._name, d);
      this.setData({ d });
    },
    onDescription(e) {
      this.show({ ...this.data.d, description: e.detail.value });
      if (this.data.fields.description) this.setData({ 'fields.description': '' });
    },
    async onAddPhoto() {
      const taken = await photo.take(9 - this.data.d.photos.length);
      if (taken.length) {
        this.show({ ...this.data.d, photos: this.data.d.photos.concat(draft.keepPhotos(taken)) });
        this.setData({ 'fields.photo_ids': '' });
      }
    },
    onPhotoTap(e) {
      const i = e.currentTarget.dataset.index;
      wx.showActionSheet({
        itemList: ['查看大图', '删除'],
        success: (r) => {
          if (r.tapIndex === 0) photo.preview(this.data.d.photos.map((p) => p.path), this.data.d.photos[i].path);
          else this.show({ ...this.data.d, photos: this.data.d.photos.filter((_, j) => j !== i) });
        },
      });
    },
    async onSubmit() {
      const d = this.data.d;
      /** @type {Record<string,string>} */
      const fields = {};
      if (!d.photos.length) fields.photo_ids = '请至少上传一张整改后照片';
      if (!d.description.trim()) fields.description = '请填写整改情况';
      if (Object.keys(fields).length) {
        this.setData({ fields, error: '请检查标红的内容' });
        return;
      }
      this.setData({ busy: true, error: '', fields: {} });
      try {
        const r = await outbox.submit({ id: d.id, key: d.key, kind: 'rectification', path: `/hazards/${this._id}/rectification`,
          body: { description: d.description.trim(), version: d.version }, photoField: 'photo_ids', photos: d.photos,
          title: '整改：隐患 #' + this._id });
        draft.clear(this._name);
        this.setData({ busy: false });
        wx.showToast({ title: r.sent ? '已提交验收' : '已保存，联网后自动提交', icon: r.sent ? 'success' : 'none' });
        wx.navigateBack();
      } catch (err) {
        const kept = err.item;
        if (kept) this.show({ ...this.data.d, key: kept.key, photos: kept.photos });
        this.setData({ busy: false, error: api.messageOf(err), fields: err.fields || {} });
      }
    },
  },
}));
