// Registering or editing an enterprise (admin; inspectors read). The 统一社会信用代码's check
// character is checked on the phone with the server's rule, so a typo is marked before sending.
const api = require('../../utils/api');
const session = require('../../utils/session');
const uscc = require('./uscc');

const KINDS = [
  { value: 'hazchem_production', label: '危化品生产' },
  { value: 'hazchem_operation', label: '危化品经营' },
  { value: 'chemical_other', label: '其他化工' },
];
const FIELDS = ['name', 'uscc', 'kind', 'address', 'principal_name', 'principal_mobile', 'safety_officer_name', 'safety_officer_mobile',
  'major_hazard_count', 'cadre_id', 'status'];

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: { e: {}, isNew: true, admin: false, kinds: KINDS.map((k) => k.label), kindIndex: 0, cadres: [], cadreNames: [], cadreIndex: 0,
    fields: {}, error: '', notice: '', busy: false },
  methods: {
    async onLoad(query) {
      const admin = session.role() === 'admin';
      this._key = api.newKey();
      this.setData({ admin, isNew: !query.id });
      try {
        if (admin) {
          const l = await api.get('/users', { role: 'inspector', status: 'active', page_size: 100 });
          this.setData({ cadres: l.items, cadreNames: ['（不指定）'].concat(l.items.map((u) => u.name)) });
        }
        const e = query.id ? await api.get('/enterprises/' + Number(query.id))
          : { name: '', uscc: '', kind: 'hazchem_production', address: '', principal_name: '', principal_mobile: '', safety_officer_name: '',
            safety_officer_mobile: '', major_hazard_count: 0, cadre_id: null, status: 'active' };
        this.show(e);
      } catch (err) {
        this.setData({ error: api.messageOf(err) });
      }
    },
    show(e) {
      this.setData({ e, kindIndex: Math.max(0, KINDS.findIndex((k) => k.value === e.kind)),
        cadreIndex: e.cadre_id ? this.data.cadres.findIndex((u) => u.id === e.cadre_id) + 1 : 0 });
    },
    onText(ev) {
      const f = ev.currentTarget.dataset.field;
      this.setData({ ['e.' + f]: ev.detail.value, fields: { ...this.data.fields, [f]: '' } });
    },
    onUSCCBlur() {
      const p = this.data.e.uscc ? uscc.problem(this.data.e.uscc) : '';
      this.setData({ 'fields.uscc': p });
    },
    onKind(ev) {
      this.setData({ kindIndex: Number(ev.detail.value), 'e.kind': KINDS[Number(ev.detail.value)].value });
    },
    onCadre(ev) {
      const i = Number(ev.detail.value);
      this.setData({ cadreIndex: i, 'e.cadre_id': i ? this.data.cadres[i - 1].id : 0 });
    },
    onStatus() {
      this.setData({ 'e.status': this.data.e.status === 'active' ? 'inactive' : 'active' });
    },
    async onSave() {
      const e = this.data.e;
      /** @type {Record<string,string>} */
      const fields = {};
      if (!String(e.name).trim()) fields.name = '请填写企业名称';
      const p = uscc.problem(e.uscc);
      if (p) fields.uscc = p;
      if (Object.keys(fields).length) {
        this.setData({ fields, error: '请检查标红的内容' });
        return;
      }
      /** @type {Record<string, any>} */
      const body = {};
      for (const f of FIELDS) body[f] = typeof e[f] === 'string' ? e[f].trim() : e[f];
      body.uscc = body.uscc.toUpperCase();
      body.major_hazard_count = Number(body.major_hazard_count) || 0;
      body.cadre_id = body.cadre_id || 0;
      this.setData({ busy: true, error: '', fields: {} });
      try {
        const saved = this.data.isNew ? await api.request('POST', '/enterprises', { key: this._key, data: body })
          : await api.request('PATCH', '/enterprises/' + e.id, { data: { ...body, version: e.version } });
        this.setData({ busy: false, isNew: false, notice: '已保存' });
        this.show(saved);
      } catch (err) {
        this.setData({ busy: false, error: api.messageOf(err), fields: err.fields || {} });
      }
    },
  },
}));
