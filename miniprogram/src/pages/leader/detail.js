// One leader inspection: whether it counted as on time, who led it, what was found and fixed, its
// photos, and the hazards it opened with how they stand now.
const api = require('../../utils/api');
const format = require('../../utils/format');
const photo = require('../../utils/photo');

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: { li: {}, error: '' },
  methods: {
    async onLoad(query) {
      try {
        const li = await api.get('/leader-inspections/' + Number(query.id));
        li.hazards = li.hazards.map((x) => ({ ...x, theme: format.statusTheme(x.status) }));
        this.setData({ li, filedAt: format.dateTime(li.created_at) });
      } catch (e) {
        this.setData({ error: api.messageOf(e) });
      }
    },
    onOpenHazard(e) {
      wx.navigateTo({ url: '/pages/hazards/detail?id=' + e.currentTarget.dataset.id });
    },
    onPreview(e) {
      const ps = this.data.li.photos;
      photo.preview(ps.map((p) => p.url), ps[e.currentTarget.dataset.index].url);
    },
    onImageError: photo.onImageError,
  },
}));
