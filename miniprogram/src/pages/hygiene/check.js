// One enterprise's Friday check: doorway, ditch and road (门前三包) each pass or fail; a failed area
// needs a note and at least one photo, and the check a deadline (its hazards get it). The form is a
// draft until sent and goes through the outbox, so a dropped signal loses nothing. After sending,
// "下一家" opens the next enterprise not checked in the round right here, so that a whole round is
// walked without going back to the board.
const api = require('../../utils/api');
const draft = require('../../utils/draft');
const format = require('../../utils/format');
const outbox = require('../../utils/outbox');
const photo = require('../../utils/photo');
const week = require('../../utils/week');
const round = require('./round');

const AREAS = [
  { key: 'doorway', label: '门口' },
  { key: 'ditch', label: '沟渠' },
  { key: 'road', label: '道路' },
];

function fresh() {
  const today = format.parkToday();
  return { areas: AREAS.map((a) => ({ ...a, passed: null, note: '', photos: [] })), deadline: format.addDays(today, 3), note: '',
    requirement: '' };
}

/**
 * fieldsOf maps the server's field names (areas[1].note, areas.1.photo_ids) to the form's flat keys
 * (area1note, area1photo), which setData does not take for paths.
 * @param {Record<string,string>} f
 */
function fieldsOf(f) {
  /** @type {Record<string,string>} */
  const out = {};
  for (const [k, v] of Object.entries(f || {})) {
    const m = /^areas(?:\[(\d+)\]|\.(\d+))(?:\.(\w+))?$/.exec(k);
    if (!m) out[k] = v;
    else out[`area${m[1] || m[2]}${m[3] === 'photo_ids' ? 'photo' : m[3] === 'note' ? 'note' : ''}`] = v;
  }
  return out;
}

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: { ent: {}, week: '', today: '', d: {}, anyFailed: false, fields: {}, error: '', notice: '', sent: false, next: null,
    done: false, busy: false },
  methods: {
    async onLoad(query) {
      const today = format.parkToday();
      const w = week.weekOf(today);
      this.setData({ week: w, today });
      try {
        await round.refresh(w);
      } catch (e) {
        /* no signal: the round kept on the phone is used */
      }
      return this.open(Number(query.enterprise_id));
    },
    /** open shows the form for an enterprise (the first, or the next of the round, in place). */
    async open(id) {
      const e = round.entry(this.data.week, id);
      this._name = `hygiene.${this.data.week}.${id}`;
      const d = draft.load(this._name, fresh);
      this.setData({ ent: { id, name: e ? e.name : `企业 #${id}` }, fields: {}, error: '', sent: false, next: null, done: false });
      this.show(d);
      wx.setNavigationBarTitle({ title: '卫生检查' });
      wx.pageScrollTo({ scrollTop: 0, duration: 0 });
      if (!e) {
        try {
          const ent = await api.get('/enterprises/' + id);
          this.setData({ 'ent.name': ent.name });
        } catch (err) {
          this.setData({ error: api.messageOf(err) });
        }
      }
    },
    show(d) {
      draft.save(this._name, d);
      this.setData({ d, anyFailed: d.areas.some((a) => a.passed === false) });
    },
    patchArea(i, patch) {
      const areas = this.data.d.areas.map((a, j) => (j === i ? { ...a, ...patch } : a));
      this.show({ ...this.data.d, areas });
      this.setData({ fields: { ...this.data.fields, [`area${i}`]: '', [`area${i}note`]: '', [`area${i}photo`]: '' } });
    },
    onRate(e) {
      const { index, passed } = e.currentTarget.dataset;
      this.patchArea(Number(index), { passed: passed === 'yes' });
    },
    onAreaNote(e) {
      this.patchArea(Number(e.currentTarget.dataset.index), { note: e.detail.value });
    },
    async onAreaPhoto(e) {
      const i = Number(e.currentTarget.dataset.index);
      const a = this.data.d.areas[i];
      const taken = await photo.take(9 - a.photos.length);
      if (taken.length) this.patchArea(i, { photos: a.photos.concat(draft.keepPhotos(taken)) });
    },
    onRemovePhoto(e) {
      const { index, photo: p } = e.currentTarget.dataset;
      const a = this.data.d.areas[Number(index)];
      wx.showActionSheet({
        itemList: ['查看大图', '删除'],
        success: (r) => {
          if (r.tapIndex === 0) photo.preview(a.photos.map((x) => x.path), a.photos[p].path);
          else this.patchArea(Number(index), { photos: a.photos.filter((_, j) => j !== Number(p)) });
        },
      });
    },
    onText(e) {
      const f = e.currentTarget.dataset.field;
      this.show({ ...this.data.d, [f]: e.detail.value });
    },
    onDeadline(e) {
      this.show({ ...this.data.d, deadline: e.detail.value });
      this.setData({ 'fields.deadline': '' });
    },
    async onSubmit() {
      const d = this.data.d;
      /** @type {Record<string,string>} */
      const fields = {};
      d.areas.forEach((a, i) => {
        if (a.passed === null) fields[`area${i}`] = `请评定${a.label}是否合格`;
        if (a.passed === false && !a.note.trim()) fields[`area${i}note`] = `请写明${a.label}存在的问题`;
        if (a.passed === false && !a.photos.length) fields[`area${i}photo`] = `请拍摄${a.label}的现场照片`;
      });
      const anyFailed = d.areas.some((a) => a.passed === false);
      if (anyFailed && !d.deadline) fields.deadline = '请选择整改期限';
      if (Object.keys(fields).length) {
        this.setData({ fields, error: '请检查标红的内容' });
        return;
      }
      this.setData({ busy: true, error: '', fields: {} });
      const ent = this.data.ent;
      const body = { enterprise_id: ent.id, check_date: this.data.today, deadline: anyFailed ? d.deadline : '', note: d.note.trim(),
        requirement: d.requirement.trim(), areas: d.areas.map((a) => ({ area: a.key, passed: a.passed, note: a.passed ? '' : a.note.trim() })) };
      const photos = [];
      d.areas.forEach((a, i) => {
        if (a.passed === false) for (const p of a.photos) photos.push({ ...p, field: `areas.${i}.photo_ids` });
      });
      try {
        const r = await outbox.submit({ id: d.id, key: d.key, kind: 'hygiene', path: '/hygiene-checks', body, photos,
          title: `卫生检查：${ent.name}（${anyFailed ? '不合格' : '合格'}）` });
        draft.clear(this._name);
        round.markChecked(this.data.week, ent.id);
        let notice;
        if (r.sent) {
          const codes = r.result.areas.filter((a) => a.hazard_code).map((a) => `${a.area_label} ${a.hazard_code}`);
          notice = `已提交：${ent.name} ${r.result.result_label}` + (codes.length ? `，已生成隐患 ${codes.join('、')}` : '');
          try {
            await round.refresh(this.data.week);
          } catch (e) {
            /* the round kept on the phone still knows this one is done */
          }
        } else {
          notice = `已保存：${ent.name}，联网后自动提交`;
        }
        const next = round.next(this.data.week, ent.id);
        this.setData({ busy: false, sent: true, notice, next, done: !next });
      } catch (err) {
        const kept = err.item;
        if (kept) {
          const byField = {};
          for (const p of kept.photos) (byField[p.field] = byField[p.field] || []).push(p);
          this.show({ ...this.data.d, key: kept.key, areas: this.data.d.areas.map((a, i) => ({ ...a, photos: byField[`areas.${i}.photo_ids`] || a.photos })) });
        }
        this.setData({ busy: false, error: api.messageOf(err), fields: fieldsOf(err.fields) });
        if (err.status === 409) {
          round.markChecked(this.data.week, ent.id);
          const next = round.next(this.data.week, ent.id);
          this.setData({ next, done: !next });
        }
      }
    },
    onNext() {
      if (this.data.next) return this.open(this.data.next.id);
      return null;
    },
    onBoard() {
      wx.navigateBack();
    },
  },
}));
