// 约谈: the office's interviews by state (an enterprise sees its own), each with when, why and where
// it stands; the admin starts new ones from the weeks' proposals.
const api = require('../../utils/api');
const format = require('../../utils/format');
const session = require('../../utils/session');

const STATES = [
  { value: '', label: '全部' },
  { value: 'scheduled', label: '待约谈' },
  { value: 'held', label: '已约谈' },
  { value: 'closed', label: '已办结' },
];
const THEME = { scheduled: 'warning', held: 'primary', closed: 'success' };

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: { states: STATES, status: '', items: [], admin: false, loaded: false, error: '' },
  methods: {
    onLoad() {
      this.setData({ admin: session.role() === 'admin' });
    },
    onShow() {
      return this.load();
    },
    async onPullDownRefresh() {
      await this.load();
      wx.stopPullDownRefresh();
    },
    async load() {
      try {
        const l = await api.get('/interviews', { status: this.data.status, page_size: 50 });
        this.setData({ loaded: true, error: '', items: l.items.map((iv) => ({ ...iv, theme: THEME[iv.status], when: format.dateTime(iv.scheduled_at) })) });
      } catch (e) {
        this.setData({ loaded: true, error: api.messageOf(e) });
      }
    },
    onStatus(e) {
      this.setData({ status: e.currentTarget.dataset.value });
      return this.load();
    },
    onOpen(e) {
      wx.navigateTo({ url: '/pages/interviews/detail?id=' + e.currentTarget.dataset.id });
    },
    onNew() {
      wx.navigateTo({ url: '/pages/interviews/new' });
    },
  },
}));
