// A bulletin as a person reads it on a phone: title, notice number, date, cover, and the content with
// its photos through <rich-text>. The admin also follows the publishing to the Official Account here:
// publish (202), then the state is polled until WeChat's outcome is in — published with the article
// link, or failed with the reason and a retry. Opened by subscribe messages
// (pages/bulletins/detail?id=), a path the server relies on.
const api = require('../../utils/api');
const format = require('../../utils/format');
const richtext = require('./richtext');
const session = require('../../utils/session');

/** POLL_MS is how often a bulletin being published is read again. */
const POLL_MS = 2000;

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: { b: {}, nodes: '', admin: false, when: '', error: '', notice: '', busy: false },
  methods: {
    onLoad(query) {
      this._id = Number(query.id);
      this.setData({ admin: session.role() === 'admin' });
      return this.load();
    },
    onShow() {
      if (this._shown) return this.load();
      this._shown = true;
      return null;
    },
    onUnload() {
      this.stopPolling();
    },
    onHide() {
      this.stopPolling();
    },
    async onPullDownRefresh() {
      await this.load();
      wx.stopPullDownRefresh();
    },
    async load() {
      try {
        const b = await api.get('/bulletins/' + this._id);
        this.showBulletin(b);
      } catch (e) {
        this.setData({ error: api.messageOf(e) });
      }
    },
    showBulletin(b) {
      this.setData({ b, nodes: richtext.forRichText(b.content_html), when: format.dateTime(b.published_at || b.updated_at), error: '' });
      if (b.status === 'publishing') this.startPolling();
      else this.stopPolling();
    },
    startPolling() {
      if (this._timer) return;
      this._timer = setInterval(() => this.poll(), POLL_MS);
    },
    stopPolling() {
      if (this._timer) clearInterval(this._timer);
      this._timer = null;
    },
    async poll() {
      try {
        this.showBulletin(await api.get('/bulletins/' + this._id));
      } catch (e) {
        /* the next poll tries again */
      }
    },
    async onPublish() {
      this.setData({ busy: true, error: '', notice: '' });
      try {
        const b = await api.request('POST', `/bulletins/${this._id}/publish`, { key: api.newKey() });
        this.setData({ busy: false, notice: '已提交发布，正在等待微信返回结果' });
        this.showBulletin(b);
      } catch (e) {
        this.setData({ busy: false, error: api.messageOf(e) });
        if (e.status === 409) await this.load();
      }
    },
    onEdit() {
      wx.navigateTo({ url: '/pages/bulletins/edit?id=' + this._id });
    },
    onCopyLink() {
      wx.setClipboardData({ data: this.data.b.article_url });
    },
    onCover() {
      const c = this.data.b.cover_photo;
      if (c) wx.previewImage({ urls: [c.url], current: c.url });
    },
  },
}));
