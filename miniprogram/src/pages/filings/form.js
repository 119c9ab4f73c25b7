// 安全生产报备: the enterprise files an operation before the work — kind and grade, where and when,
// what is done, its hazards and measures, who is responsible and who watches, the permit (作业票) and
// other photos, the contractor for outsourced work — as a draft or submitted at once. The form is a
// draft on the phone until the server has it; without signal it goes to the outbox with its
// Idempotency-Key and is filed once. With ?id= it edits the enterprise's draft.
const api = require('../../utils/api');
const draft = require('../../utils/draft');
const outbox = require('../../utils/outbox');
const photo = require('../../utils/photo');
const format = require('../../utils/format');
const filing = require('./filing');

/** MAX_PHOTOS is how many permit or attachment photos the form takes, each. */
const MAX_PHOTOS = 9;

function fresh() {
  const tomorrow = format.addDays(format.parkToday(), 1);
  return { kind: '', grade: '', title: '', location: '', latitude: null, longitude: null, start_date: tomorrow, start_time: '08:00',
    end_date: tomorrow, end_time: '17:00', content: '', hazard_identification: '', safety_measures: '', responsible_name: '',
    responsible_mobile: '', watcher_name: '', watcher_mobile: '', has_contractor: false,
    contractor: { name: '', uscc: '', workers: '', manager: '', manager_mobile: '' } };
}

/** fromFiling makes a draft of a filing the server has (editing), its photos already uploaded. */
function fromFiling(f) {
  const s = filing.partsOf(f.planned_start);
  const e = filing.partsOf(f.planned_end);
  const kept = (list, field) => (list || []).map((p) => ({ path: p.thumb_url, photoId: p.id, field, takenAt: p.taken_at || '' }));
  const c = f.contractor;
  return { kind: f.kind, grade: f.grade, title: f.title, location: f.location, latitude: f.latitude, longitude: f.longitude,
    start_date: s.date, start_time: s.time, end_date: e.date, end_time: e.time, content: f.content,
    hazard_identification: f.hazard_identification, safety_measures: f.safety_measures, responsible_name: f.responsible_name,
    responsible_mobile: f.responsible_mobile, watcher_name: f.watcher_name, watcher_mobile: f.watcher_mobile, has_contractor: !!c,
    contractor: c ? { ...c, workers: String(c.workers || '') } : fresh().contractor,
    photos: kept(f.permit_photos, 'permit_photo_ids').concat(kept(f.attachment_photos, 'attachment_photo_ids')), version: f.version };
}

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: { d: { photos: [] }, kinds: [], kindLabels: [], kindIndex: -1, grades: [], gradeLabels: [], gradeIndex: -1, permits: [],
    attachments: [], contractorKind: false, needsAdmin: false, editing: 0, today: '', fields: {}, error: '', busy: '', loaded: false },
  methods: {
    async onLoad(query) {
      const editing = Number(query.id || 0);
      this._draft = editing ? 'filing.' + editing : 'filing';
      this.setData({ editing, today: format.parkToday() });
      try {
        /** @type {any[]} */
        const kinds = await api.get('/filings/kinds');
        this.setData({ kinds, kindLabels: kinds.map((k) => `${k.kind_label}（${k.group_label}）`) });
        let d = draft.get(this._draft);
        if (!d && editing) d = { ...fromFiling(await api.get('/filings/' + editing)), id: api.newKey(), key: api.newKey() };
        this.show(d || draft.load(this._draft, fresh));
        this.setData({ loaded: true });
      } catch (e) {
        this.setData({ loaded: true, error: api.messageOf(e) });
      }
    },
    /** show puts the draft on the form and stores it. */
    show(d) {
      draft.save(this._draft, d);
      const kinds = this.data.kinds;
      const kindIndex = kinds.findIndex((k) => k.kind === d.kind);
      const kind = kinds[kindIndex];
      const grades = kind ? kind.grades : [];
      const gradeIndex = grades.findIndex((g) => g.grade === d.grade);
      const grade = grades[gradeIndex];
      this.setData({ d, kindIndex, grades, gradeLabels: grades.map((g) => g.grade_label + (g.needs_admin ? '（需园区审批）' : '')), gradeIndex,
        contractorKind: d.kind === 'contractor', needsAdmin: !!((grade && grade.needs_admin) || (kind && kind.needs_admin)),
        permits: d.photos.filter((p) => p.field === 'permit_photo_ids'), attachments: d.photos.filter((p) => p.field === 'attachment_photo_ids') });
    },
    change(patch, field) {
      this.show({ ...this.data.d, ...patch });
      if (field && this.data.fields[field]) this.setData({ fields: { ...this.data.fields, [field]: '' } });
    },
    onText(e) {
      const f = e.currentTarget.dataset.field;
      if (f.indexOf('contractor.') === 0) this.change({ contractor: { ...this.data.d.contractor, [f.slice(11)]: e.detail.value } }, f);
      else this.change({ [f]: e.detail.value }, f);
    },
    onKind(e) {
      const k = this.data.kinds[Number(e.detail.value)];
      if (!k) return;
      const grade = k.grades.some((g) => g.grade === this.data.d.grade) ? this.data.d.grade : k.grades.length ? k.grades[0].grade : '';
      this.change({ kind: k.kind, grade, has_contractor: k.kind === 'contractor' || this.data.d.has_contractor }, 'kind');
    },
    onGrade(e) {
      const g = this.data.grades[Number(e.detail.value)];
      if (g) this.change({ grade: g.grade }, 'grade');
    },
    onWhen(e) {
      const f = e.currentTarget.dataset.field;
      this.change({ [f]: e.detail.value }, f.indexOf('start') === 0 ? 'planned_start' : 'planned_end');
    },
    onContractor(e) {
      this.change({ has_contractor: !!e.detail.value });
    },
    async onLocate() {
      const where = await photo.locate();
      if (where) this.change({ latitude: where.latitude, longitude: where.longitude }, 'latitude');
      else wx.showToast({ title: '未能取得位置，请检查定位权限', icon: 'none' });
    },
    async onAddPhoto(e) {
      const field = e.currentTarget.dataset.field;
      const have = this.data.d.photos.filter((p) => p.field === field).length;
      const taken = await photo.take(MAX_PHOTOS - have);
      if (taken.length) this.change({ photos: this.data.d.photos.concat(draft.keepPhotos(taken).map((p) => ({ ...p, field }))) }, field);
    },
    onPhotoTap(e) {
      const p = e.currentTarget.dataset.path;
      wx.showActionSheet({
        itemList: ['查看大图', '删除'],
        success: (r) => {
          if (r.tapIndex === 0) photo.preview(this.data.d.photos.map((x) => x.path), p);
          else this.change({ photos: this.data.d.photos.filter((x) => x.path !== p) });
        },
      });
    },
    /** body is what the server gets: the form's fields, planned times as park instants. */
    body() {
      const d = this.data.d;
      const c = d.contractor;
      const trim = (s) => (s || '').trim();
      return { kind: d.kind, grade: d.grade, title: trim(d.title), location: trim(d.location),
        latitude: d.latitude == null ? undefined : d.latitude, longitude: d.longitude == null ? undefined : d.longitude,
        planned_start: filing.instantOf(d.start_date, d.start_time), planned_end: filing.instantOf(d.end_date, d.end_time),
        content: trim(d.content), hazard_identification: trim(d.hazard_identification), safety_measures: trim(d.safety_measures),
        responsible_name: trim(d.responsible_name), responsible_mobile: trim(d.responsible_mobile), watcher_name: trim(d.watcher_name),
        watcher_mobile: trim(d.watcher_mobile), permit_photo_ids: [], attachment_photo_ids: [],
        contractor: d.has_contractor ? { name: trim(c.name), uscc: trim(c.uscc).toUpperCase(), workers: Number(c.workers) || 0,
          manager: trim(c.manager), manager_mobile: trim(c.manager_mobile) } : undefined };
    },
    onDraft() {
      return this.save(false);
    },
    onSubmit() {
      return this.save(true);
    },
    /** save files the form (submit) or keeps it as the enterprise's draft on the server. */
    async save(submit) {
      const d = this.data.d;
      if (!d.kind) {
        this.setData({ fields: { kind: '请选择报备类型' }, error: '请检查标红的内容' });
        return;
      }
      this.setData({ busy: submit ? 'submit' : 'draft', error: '', fields: {} });
      const body = this.body();
      const editing = this.data.editing;
      const title = `${submit ? '提交' : '保存'}报备：${body.title || '（未填标题）'}`;
      try {
        const r = editing
          ? await outbox.submit({ id: d.id, key: d.key, kind: 'filing', method: 'PATCH', path: '/filings/' + editing,
            body: { ...body, version: d.version, clear_coordinates: d.latitude == null }, photos: d.photos, title })
          : await outbox.submit({ id: d.id, key: d.key, kind: 'filing', path: '/filings', body: { ...body, submit }, photos: d.photos, title });
        if (r.sent && editing && submit) await api.post(`/filings/${editing}/submit`, { version: r.result.version }, api.newKey());
        draft.clear(this._draft);
        this.setData({ busy: '' });
        if (!r.sent) {
          wx.showToast({ title: '已保存，联网后自动发送', icon: 'none' });
          wx.navigateBack();
          return;
        }
        wx.showToast({ title: submit ? '已提交' : '已保存草稿', icon: 'success' });
        wx.redirectTo({ url: '/pages/filings/detail?id=' + r.result.id });
      } catch (err) {
        // Refused: the form stays as it was, with the photos already uploaded and the same key.
        const kept = err.item;
        if (kept) this.show({ ...this.data.d, key: kept.key, photos: kept.photos });
        if (err.status === 409 && editing) draft.clear(this._draft);
        this.setData({ busy: '', error: api.messageOf(err), fields: err.fields || {} });
      }
    },
  },
}));
