// Sign-in: username (or mobile) and password, or WeChat (wx.login), which the first time binds the
// WeChat account to the pre-registered account by the phone number WeChat confirms.
const api = require('../../utils/api');
const session = require('../../utils/session');

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: { username: '', password: '', error: '', fields: {}, busy: false, bindToken: '' },
  methods: {
    onLoad() {
      if (session.get()) wx.reLaunch({ url: '/pages/home/index' });
    },
    onUsername(e) {
      this.setData({ username: e.detail.value, 'fields.username': '' });
    },
    onPassword(e) {
      this.setData({ password: e.detail.value, 'fields.password': '' });
    },
    /** @param {any} err */
    fail(err) {
      this.setData({ busy: false, error: api.messageOf(err), fields: err.fields || {} });
    },
    signedIn(tokens) {
      api.signIn(tokens);
      this.setData({ busy: false, error: '' });
      wx.reLaunch({ url: '/pages/home/index' });
    },
    async onLogin() {
      const { username, password } = this.data;
      /** @type {Record<string,string>} */
      const fields = {};
      if (!username.trim()) fields.username = '请输入用户名或手机号';
      if (!password) fields.password = '请输入密码';
      if (Object.keys(fields).length) {
        this.setData({ fields, error: '' });
        return;
      }
      this.setData({ busy: true, error: '', fields: {} });
      try {
        this.signedIn(await api.request('POST', '/auth/login', { data: { username: username.trim(), password }, auth: false }));
      } catch (err) {
        this.fail(err);
      }
    },
    async onWechat() {
      this.setData({ busy: true, error: '' });
      try {
        const { code } = await new Promise((resolve, reject) => wx.login({ success: resolve, fail: reject }));
        /** @type {import('../../../types').WechatLogin} */
        const r = await api.request('POST', '/auth/wechat/login', { data: { code }, auth: false });
        if (r.access_token) this.signedIn(/** @type {any} */ (r));
        else this.setData({ busy: false, bindToken: r.bind_token });
      } catch (err) {
        this.setData({ busy: false, error: api.messageOf(err, '微信登录失败，请改用账号密码登录'), fields: {} });
      }
    },
    async onPhoneNumber(e) {
      const code = e.detail && e.detail.code;
      if (!code) {
        this.setData({ error: '需要授权手机号才能绑定账号' });
        return;
      }
      this.setData({ busy: true, error: '' });
      try {
        this.signedIn(await api.request('POST', '/auth/wechat/bind', { data: { bind_token: this.data.bindToken, phone_code: code }, auth: false }));
      } catch (err) {
        if (err.status === 401) this.setData({ bindToken: '' });
        this.fail(err);
      }
    },
    onCancelBind() {
      this.setData({ bindToken: '', error: '' });
    },
  },
}));
