// One account (admin): create it, or change its role or enterprise, disable or enable it, reset its
// password, remove its WeChat binding. Changing role, enterprise, status or password signs it out
// everywhere at once (the server does). A new mobile hands the account to another person, so the
// password field then asks for the new holder's password (the server refuses the change without one
// when the account has a password, and the refusal is shown under the field).
const api = require('../../utils/api');

const ROLES = [
  { value: 'inspector', label: '园区检查人员' },
  { value: 'enterprise', label: '企业用户' },
  { value: 'admin', label: '管理办' },
];

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: { u: {}, isNew: true, password: '', handover: false, roles: ROLES.map((r) => r.label), roleIndex: 0, ents: [], entNames: [], entIndex: -1, fields: {},
    error: '', notice: '', busy: false },
  methods: {
    async onLoad(query) {
      this._key = api.newKey();
      this.setData({ isNew: !query.id });
      try {
        const l = await api.get('/enterprises', { page_size: 100, status: 'active' });
        this.setData({ ents: l.items, entNames: l.items.map((e) => e.name) });
        this.show(query.id ? await api.get('/users/' + Number(query.id))
          : { name: '', username: '', mobile: '', role: 'inspector', enterprise_id: null, status: 'active' });
      } catch (e) {
        this.setData({ error: api.messageOf(e) });
      }
    },
    show(u) {
      this._mobile = u.mobile || '';
      this.setData({ u: { ...u, username: u.username || '' }, handover: false, roleIndex: Math.max(0, ROLES.findIndex((r) => r.value === u.role)),
        entIndex: this.data.ents.findIndex((e) => e.id === u.enterprise_id) });
    },
    onText(e) {
      const f = e.currentTarget.dataset.field;
      if (f === 'password') this.setData({ password: e.detail.value, 'fields.password': '' });
      else this.setData({ ['u.' + f]: e.detail.value, fields: { ...this.data.fields, [f]: '' } });
      if (f === 'mobile') this.setData({ handover: !this.data.isNew && this._mobile !== '' && e.detail.value.trim() !== this._mobile });
    },
    onRole(e) {
      const i = Number(e.detail.value);
      this.setData({ roleIndex: i, 'u.role': ROLES[i].value, 'fields.role': '' });
    },
    onEnterprise(e) {
      const i = Number(e.detail.value);
      this.setData({ entIndex: i, 'u.enterprise_id': this.data.ents[i].id, 'fields.enterprise_id': '' });
    },
    async save(patch, notice) {
      this.setData({ busy: true, error: '', fields: {} });
      try {
        const u = this.data.isNew ? await api.request('POST', '/users', { key: this._key, data: patch })
          : await api.request('PATCH', '/users/' + this.data.u.id, { data: { ...patch, version: this.data.u.version } });
        this.setData({ busy: false, isNew: false, password: '', notice });
        this.show(u);
      } catch (err) {
        this.setData({ busy: false, error: api.messageOf(err), fields: err.fields || {} });
      }
    },
    onSave() {
      const u = this.data.u;
      /** @type {Record<string, any>} */
      const body = { name: u.name.trim(), mobile: u.mobile.trim(), role: u.role, enterprise_id: u.role === 'enterprise' ? u.enterprise_id || 0 : 0 };
      if (u.username.trim()) body.username = u.username.trim();
      if (this.data.password) body.password = this.data.password;
      /** @type {Record<string,string>} */
      const fields = {};
      if (!body.name) fields.name = '请填写姓名';
      if (u.role === 'enterprise' && !body.enterprise_id) fields.enterprise_id = '请选择所属企业';
      if (this.data.isNew && !body.password) fields.password = '请设置初始密码';
      if (Object.keys(fields).length) {
        this.setData({ fields, error: '请检查标红的内容' });
        return null;
      }
      return this.save(body, '已保存');
    },
    onToggleStatus() {
      const to = this.data.u.status === 'active' ? 'disabled' : 'active';
      return this.save({ status: to }, to === 'disabled' ? '已停用，该账号已在所有设备上退出' : '已恢复');
    },
    onUnbind() {
      return this.save({ unbind_wechat: true }, '已解除微信绑定');
    },
  },
}));
