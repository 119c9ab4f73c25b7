// Notifications: the feed (all or unread), the unread badge on the tab, mark read, and open the record
// a notice is about (the same pages the subscribe messages open).
const api = require('../../utils/api');
const format = require('../../utils/format');

const PAGE_SIZE = 20;

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: { items: [], unread: 0, total: 0, next: null, unreadOnly: false, loaded: false, error: '' },
  methods: {
    onShow() {
      return this.fetch('');
    },
    async onPullDownRefresh() {
      await this.fetch('');
      wx.stopPullDownRefresh();
    },
    onReachBottom() {
      if (this.data.next) return this.fetch(this.data.next);
      return null;
    },
    /** @param {string} after the previous page's next; '' for the first page */
    async fetch(after) {
      try {
        const l = await api.get('/notifications', { unread: this.data.unreadOnly ? true : '', page_size: PAGE_SIZE, after });
        const rows = l.items.map((n) => ({ ...n, time: format.dateTime(n.created_at) }));
        if (after) this.setData({ items: this.data.items.concat(rows), next: l.next, unread: l.unread_count, error: '' });
        else this.setData({ items: rows, total: l.total, next: l.next, unread: l.unread_count, loaded: true, error: '' });
        this.badge(l.unread_count);
      } catch (e) {
        this.setData({ error: api.messageOf(e), loaded: true });
      }
    },
    badge(n) {
      if (n > 0) wx.setTabBarBadge({ index: 2, text: n > 99 ? '99+' : String(n) });
      else wx.removeTabBarBadge({ index: 2 });
    },
    onTab(e) {
      this.setData({ unreadOnly: e.detail.value === 'unread' });
      return this.fetch('');
    },
    async onOpen(e) {
      const i = e.currentTarget.dataset.index;
      const n = this.data.items[i];
      if (!n.read) {
        try {
          await api.post('/notifications/read', { ids: [n.id] });
          const unread = Math.max(0, this.data.unread - 1);
          this.setData({ [`items[${i}].read`]: true, unread });
          this.badge(unread);
        } catch (err) {
          this.setData({ error: api.messageOf(err) });
        }
      }
      const url = format.recordPage(n.link);
      if (url) wx.navigateTo({ url });
    },
    async onReadAll() {
      try {
        await api.post('/notifications/read', { all: true });
        this.setData({ items: this.data.items.map((n) => ({ ...n, read: true })), unread: 0 });
        this.badge(0);
      } catch (err) {
        this.setData({ error: api.messageOf(err) });
      }
    },
  },
}));
