// 通报: the published bulletins for everyone, newest first; the admin also sees drafts, bulletins
// being published and failed ones, and writes or generates new ones.
const api = require('../../utils/api');
const format = require('../../utils/format');
const session = require('../../utils/session');

const STATES = [
  { value: '', label: '全部' },
  { value: 'draft', label: '草稿' },
  { value: 'publishing', label: '发布中' },
  { value: 'published', label: '已发布' },
  { value: 'failed', label: '发布失败' },
];
const THEME = { draft: 'default', publishing: 'warning', published: 'success', failed: 'danger' };

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: { states: STATES, status: '', admin: false, items: [], total: 0, next: null, loaded: false, error: '' },
  methods: {
    onLoad() {
      this.setData({ admin: session.role() === 'admin' });
    },
    onShow() {
      return this.fetch('');
    },
    async onPullDownRefresh() {
      await this.fetch('');
      wx.stopPullDownRefresh();
    },
    onReachBottom() {
      return this.data.next ? this.fetch(this.data.next) : null;
    },
    /** @param {string} after the previous page's next; '' for the first page */
    async fetch(after) {
      try {
        const l = await api.get('/bulletins', { status: this.data.status, page_size: 20, after });
        const rows = l.items.map((b) => ({ id: b.id, title: b.title, number: b.number, kind_label: b.kind_label, status: b.status,
          status_label: b.status_label, theme: THEME[b.status], when: format.dateTime(b.published_at || b.updated_at),
          cover: b.cover_photo ? b.cover_photo.thumb_url : '', cover_id: b.cover_photo ? b.cover_photo.id : 0 }));
        if (after) this.setData({ items: this.data.items.concat(rows), next: l.next, error: '' });
        else this.setData({ items: rows, total: l.total, next: l.next, loaded: true, error: '' });
      } catch (e) {
        this.setData({ loaded: true, error: api.messageOf(e) });
      }
    },
    onStatus(e) {
      this.setData({ status: e.currentTarget.dataset.value });
      return this.fetch('');
    },
    onOpen(e) {
      wx.navigateTo({ url: '/pages/bulletins/detail?id=' + e.currentTarget.dataset.id });
    },
    onWrite() {
      wx.navigateTo({ url: '/pages/bulletins/edit' });
    },
    onGenerate() {
      wx.navigateTo({ url: '/pages/bulletins/edit?generate=1' });
    },
    onImageError(e) {
      const i = e.currentTarget.dataset.index;
      this.setData({ [`items[${i}].cover`]: '' });
    },
  },
}));
