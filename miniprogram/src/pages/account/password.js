// Password change; the server signs the user out everywhere else.
const api = require('../../utils/api');

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: { old: '', new: '', fields: {}, error: '', busy: false },
  methods: {
    onInput(e) {
      const f = e.currentTarget.dataset.field;
      this.setData({ [f]: e.detail.value, fields: {} });
    },
    async onSave() {
      this.setData({ busy: true, error: '', fields: {} });
      try {
        await api.request('PUT', '/me/password', { data: { old_password: this.data.old, new_password: this.data.new } });
        this.setData({ busy: false });
        wx.showToast({ title: '密码已修改', icon: 'success' });
        wx.navigateBack();
      } catch (err) {
        this.setData({ busy: false, error: api.messageOf(err), fields: err.fields || {} });
      }
    },
  },
}));
