// Me: the account, the outbox, subscribe-message grants (each grant lets the server send one WeChat
// reminder of that kind), password and sign-out.
const api = require('../../utils/api');
const session = require('../../utils/session');
const outbox = require('../../utils/outbox');

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: { user: {}, park: {}, outboxCount: 0, subscribeNote: '', error: '', notice: '' },
  methods: {
    async onShow() {
      this.setData({ user: session.user() || {}, outboxCount: outbox.count() });
      try {
        const [me, subs] = await Promise.all([api.get('/me'), api.get('/me/subscriptions')]);
        session.setUser(me);
        this._subs = subs || [];
        const left = this._subs.reduce((n, s) => n + (s.remaining || 0), 0);
        this.setData({ user: me, park: me.park, error: '',
          subscribeNote: this._subs.length ? `剩余可接收 ${left} 条提醒，点此增加` : '园区未配置微信提醒' });
      } catch (e) {
        this.setData({ error: api.messageOf(e) });
      }
    },
    onOutbox() {
      wx.navigateTo({ url: '/pages/account/outbox' });
    },
    onPassword() {
      wx.navigateTo({ url: '/pages/account/password' });
    },
    async onSubscribe() {
      const ids = [...new Set((this._subs || []).map((s) => s.template_id).filter(Boolean))].slice(0, 3);
      if (!ids.length) return;
      try {
        const res = await new Promise((resolve, reject) => wx.requestSubscribeMessage({ tmplIds: ids, success: resolve, fail: reject }));
        const accepted = ids.filter((id) => res[id] === 'accept');
        if (!accepted.length) {
          this.setData({ notice: '未授权提醒，可随时再次开启' });
          return;
        }
        this._subs = await api.post('/me/subscriptions', { template_ids: accepted });
        const left = this._subs.reduce((n, s) => n + (s.remaining || 0), 0);
        this.setData({ notice: `已开启 ${accepted.length} 类提醒`, subscribeNote: `剩余可接收 ${left} 条提醒，点此增加`, error: '' });
      } catch (e) {
        this.setData({ error: api.messageOf(e, '未能开启提醒') });
      }
    },
    onLogout() {
      const pending = outbox.count();
      wx.showModal({
        title: '退出登录',
        content: pending ? `还有 ${pending} 条待发送，退出后留在这台手机上，此账号再次登录时发送。确定退出？` : '确定退出登录？',
        success: async (r) => {
          if (!r.confirm) return;
          await api.signOut();
          wx.reLaunch({ url: '/pages/login/index' });
        },
      });
    },
  },
}));
