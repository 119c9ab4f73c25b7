// 隐患随手拍: photos (camera or album, compressed, with time and place), enterprise, category, level,
// title, location, description, requirement and deadline. The form is a draft in storage until it is
// sent; without network it goes to the outbox and is sent later, once.
const api = require('../../utils/api');
const draft = require('../../utils/draft');
const format = require('../../utils/format');
const outbox = require('../../utils/outbox');
const photo = require('../../utils/photo');

const DRAFT = 'report';

function fresh() {
  const today = format.parkToday();
  return { enterprise_id: 0, enterprise_name: '', category: 'other', level: 'general', title: '', location: '', description: '',
    requirement: '', deadline: format.addDays(today, 7) };
}

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: {
    d: {},
    enterprises: [],
    enterpriseNames: [],
    enterpriseIndex: 0,
    categoryLabels: format.CATEGORIES.map((c) => c.label),
    categoryIndex: 0,
    levelLabels: format.LEVELS.map((l) => l.label),
    levelIndex: 0,
    today: '',
    fields: {},
    error: '',
    busy: false,
  },
  methods: {
    async onLoad() {
      const d = draft.load(DRAFT, fresh);
      this.show(d);
      this.setData({ today: format.parkToday() });
      try {
        /** @type {import('../../../types').List<import('../../../types').Enterprise>} */
        const l = await api.get('/enterprises', { page_size: 100, status: 'active' });
        this.setData({ enterprises: l.items, enterpriseNames: l.items.map((e) => e.name),
          enterpriseIndex: Math.max(0, l.items.findIndex((e) => e.id === d.enterprise_id)) });
      } catch (e) {
        this.setData({ error: api.messageOf(e) });
      }
    },
    /** show puts the draft on the form and stores it. */
    show(d) {
      draft.save(DRAFT, d);
      this.setData({ d, categoryIndex: Math.max(0, format.CATEGORIES.findIndex((c) => c.value === d.category)),
        levelIndex: Math.max(0, format.LEVELS.findIndex((l) => l.value === d.level)) });
    },
    change(patch, field) {
      this.show({ ...this.data.d, ...patch });
      if (field && this.data.fields[field]) this.setData({ ['fields.' + field]: '' });
    },
    onText(e) {
      const f = e.currentTarget.dataset.field;
      this.change({ [f]: e.detail.value }, f);
    },
    onEnterprise(e) {
      const ent = this.data.enterprises[Number(e.detail.value)];
      if (ent) {
        this.setData({ enterpriseIndex: Number(e.detail.value) });
        this.change({ enterprise_id: ent.id, enterprise_name: ent.name }, 'enterprise_id');
      }
    },
    onCategory(e) {
      this.change({ category: format.CATEGORIES[Number(e.detail.value)].value }, 'category');
    },
    onLevel(e) {
      this.change({ level: format.LEVELS[Number(e.detail.value)].value }, 'level');
    },
    onDeadline(e) {
      this.change({ deadline: e.detail.value }, 'deadline');
    },
    async onAddPhoto() {
      const taken = await photo.take(9 - this.data.d.photos.length);
      if (taken.length) this.change({ photos: this.data.d.photos.concat(draft.keepPhotos(taken)) }, 'photo_ids');
    },
    onPhotoTap(e) {
      const i = e.currentTarget.dataset.index;
      wx.showActionSheet({
        itemList: ['查看大图', '删除'],
        success: (r) => {
          if (r.tapIndex === 0) photo.preview(this.data.d.photos.map((p) => p.path), this.data.d.photos[i].path);
          else this.change({ photos: this.data.d.photos.filter((_, j) => j !== i) });
        },
      });
    },
    async onSubmit() {
      const d = this.data.d;
      /** @type {Record<string,string>} */
      const fields = {};
      if (!d.photos.length) fields.photo_ids = '请至少拍一张现场照片';
      if (!d.enterprise_id) fields.enterprise_id = '请选择企业';
      if (!d.title.trim()) fields.title = '请填写隐患标题';
      if (Object.keys(fields).length) {
        this.setData({ fields, error: '请检查标红的内容' });
        return;
      }
      this.setData({ busy: true, error: '', fields: {} });
      const where = d.photos.find((p) => p.latitude != null);
      const body = { enterprise_id: d.enterprise_id, source: 'snapshot', category: d.category, level: d.level, title: d.title.trim(),
        location: d.location.trim(), description: d.description.trim(), requirement: d.requirement.trim(), deadline: d.deadline,
        latitude: where ? where.latitude : undefined, longitude: where ? where.longitude : undefined };
      try {
        const r = await outbox.submit({ id: d.id, key: d.key, kind: 'hazard', path: '/hazards', body, photoField: 'photo_ids',
          photos: d.photos, title: `上报隐患：${body.title}（${d.enterprise_name}）` });
        draft.clear(DRAFT);
        this.setData({ busy: false });
        if (r.sent) {
          wx.showToast({ title: '已上报', icon: 'success' });
          wx.redirectTo({ url: '/pages/hazards/detail?id=' + r.result.id });
        } else {
          wx.showToast({ title: '已保存，联网后自动上报', icon: 'none' });
          wx.navigateBack();
        }
      } catch (err) {
        // The server refused it: the form stays, with the uploaded photos and the same key.
        const kept = err.item;
        if (kept) this.show({ ...this.data.d, key: kept.key, photos: kept.photos });
        this.setData({ busy: false, error: api.messageOf(err), fields: err.fields || {} });
      }
    },
  },
}));
