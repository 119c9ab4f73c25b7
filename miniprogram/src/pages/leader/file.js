// The week's 主要负责人带队检查 (enterprise): date, leading principal, participants, areas, findings,
// photos, problems found and fixed on the spot, and each problem not fixed on the spot as a hazard
// (title, level, deadline, photo) that the park then follows like any other. The form is a draft
// until sent and goes through the outbox.
const api = require('../../utils/api');
const draft = require('../../utils/draft');
const format = require('../../utils/format');
const outbox = require('../../utils/outbox');
const photo = require('../../utils/photo');
const session = require('../../utils/session');
const week = require('../../utils/week');

const DRAFT = 'leader';

function fresh() {
  return { inspected_on: format.parkToday(), leader_name: '', participants: '', areas: '', findings: '', problems_found: '',
    problems_fixed: '', hazards: [] };
}

/** flat turns the server's nested field names (hazards.0.title) into keys setData can take (hazards_0_title). */
function flat(f) {
  /** @type {Record<string,string>} */
  const out = {};
  for (const [k, v] of Object.entries(f || {})) out[k.replace(/[.[\]]+/g, '_').replace(/_$/, '')] = v;
  return out;
}

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: { d: {}, today: '', earliest: '', monday: '', onTime: true, levelLabels: format.LEVELS.map((l) => l.label), fields: {},
    error: '', busy: false },
  methods: {
    async onLoad() {
      const today = format.parkToday();
      const monday = week.mondayOf(week.weekOf(today));
      this.setData({ today, monday, earliest: format.addDays(monday, -7) });
      this.show(draft.load(DRAFT, fresh));
      if (!this.data.d.leader_name) {
        try {
          const u = session.user();
          const ent = await api.get('/enterprises/' + u.enterprise_id);
          if (!this.data.d.leader_name) this.show({ ...this.data.d, leader_name: ent.principal_name });
        } catch (e) {
          /* the leader's name is typed in */
        }
      }
    },
    show(d) {
      draft.save(DRAFT, d);
      const w = week.weekOf(d.inspected_on);
      this.setData({ d, onTime: d.inspected_on === week.mondayOf(w), fileWeek: w });
    },
    change(patch, field) {
      this.show({ ...this.data.d, ...patch });
      if (field && this.data.fields[field]) this.setData({ fields: { ...this.data.fields, [field]: '' } });
    },
    onText(e) {
      const f = e.currentTarget.dataset.field;
      this.change({ [f]: e.detail.value }, f);
    },
    onDate(e) {
      this.change({ inspected_on: e.detail.value }, 'inspected_on');
    },
    async onAddPhoto() {
      const taken = await photo.take(9 - this.data.d.photos.length);
      if (taken.length) this.change({ photos: this.data.d.photos.concat(draft.keepPhotos(taken)) }, 'photo_ids');
    },
    onPhotoTap(e) {
      const { index, hazard } = e.currentTarget.dataset;
      const list = hazard === undefined || hazard === '' ? this.data.d.photos : this.data.d.hazards[hazard].photos;
      wx.showActionSheet({
        itemList: ['查看大图', '删除'],
        success: (r) => {
          if (r.tapIndex === 0) photo.preview(list.map((p) => p.path), list[index].path);
          else if (hazard === undefined || hazard === '') this.change({ photos: list.filter((_, j) => j !== index) });
          else this.patchHazard(Number(hazard), { photos: list.filter((_, j) => j !== index) });
        },
      });
    },
    onAddHazard() {
      const hz = { k: api.newKey(), title: '', level: 'general', category: 'other', deadline: format.addDays(this.data.today, 7), requirement: '', photos: [] };
      this.change({ hazards: this.data.d.hazards.concat([hz]) }, 'hazards');
    },
    onRemoveHazard(e) {
      const i = Number(e.currentTarget.dataset.index);
      this.change({ hazards: this.data.d.hazards.filter((_, j) => j !== i) });
    },
    patchHazard(i, patch) {
      this.change({ hazards: this.data.d.hazards.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
      const f = { ...this.data.fields };
      for (const k of Object.keys(f)) if (k.startsWith(`hazards_${i}_`)) f[k] = '';
      this.setData({ fields: f });
    },
    onHazardText(e) {
      const { index, field } = e.currentTarget.dataset;
      this.patchHazard(Number(index), { [field]: e.detail.value });
    },
    onHazardLevel(e) {
      this.patchHazard(Number(e.currentTarget.dataset.index), { level: format.LEVELS[Number(e.detail.value)].value });
    },
    onHazardDeadline(e) {
      this.patchHazard(Number(e.currentTarget.dataset.index), { deadline: e.detail.value });
    },
    async onHazardPhoto(e) {
      const i = Number(e.currentTarget.dataset.index);
      const taken = await photo.take(9 - this.data.d.hazards[i].photos.length);
      if (taken.length) this.patchHazard(i, { photos: this.data.d.hazards[i].photos.concat(draft.keepPhotos(taken)) });
    },
    async onSubmit() {
      const d = this.data.d;
      /** @type {Record<string,string>} */
      const fields = {};
      if (!d.leader_name.trim()) fields.leader_name = '请填写带队负责人';
      if (!d.areas.trim()) fields.areas = '请填写检查区域';
      if (!d.findings.trim()) fields.findings = '请填写检查情况';
      if (!d.photos.length) fields.photo_ids = '请至少上传一张检查照片';
      const num = (v) => (String(v).trim() === '' ? undefined : Number(v));
      const found = num(d.problems_found);
      const fixed = num(d.problems_fixed) || 0;
      if (found !== undefined && !(Number.isInteger(found) && found >= 0)) fields.problems_found = '请填写整数';
      if (!(Number.isInteger(fixed) && fixed >= 0)) fields.problems_fixed = '请填写整数';
      d.hazards.forEach((x, i) => {
        if (!x.title.trim()) fields[`hazards_${i}_title`] = '请填写问题';
        if (!x.requirement.trim()) fields[`hazards_${i}_requirement`] = '请填写整改要求';
        if (!x.photos.length) fields[`hazards_${i}_photo_ids`] = '请拍摄问题照片';
      });
      if (Object.keys(fields).length) {
        this.setData({ fields, error: '请检查标红的内容' });
        return;
      }
      this.setData({ busy: true, error: '', fields: {} });
      const body = { inspected_on: d.inspected_on, leader_name: d.leader_name.trim(), participants: d.participants.trim(),
        areas: d.areas.trim(), findings: d.findings.trim(), problems_found: found, problems_fixed: fixed,
        hazards: d.hazards.map((x) => ({ title: x.title.trim(), level: x.level, category: x.category, deadline: x.deadline,
          requirement: x.requirement.trim(), description: x.title.trim() })) };
      const photos = d.photos.map((p) => ({ ...p, field: 'photo_ids' }));
      d.hazards.forEach((x, i) => x.photos.forEach((p) => photos.push({ ...p, field: `hazards.${i}.photo_ids` })));
      try {
        const r = await outbox.submit({ id: d.id, key: d.key, kind: 'leader', path: '/leader-inspections', body, photos,
          title: `带队检查：${d.inspected_on}` });
        draft.clear(DRAFT);
        this.setData({ busy: false });
        if (r.sent) {
          wx.showToast({ title: r.result.on_time ? '已填报（按时）' : '已填报', icon: 'success' });
          wx.redirectTo({ url: '/pages/leader/detail?id=' + r.result.id });
        } else {
          wx.showToast({ title: '已保存，联网后自动提交', icon: 'none' });
          wx.navigateBack();
        }
      } catch (err) {
        const kept = err.item;
        if (kept) {
          const main = kept.photos.filter((p) => p.field === 'photo_ids');
          this.show({ ...this.data.d, key: kept.key, photos: main.length ? main : this.data.d.photos,
            hazards: this.data.d.hazards.map((x, i) => {
              const ps = kept.photos.filter((p) => p.field === `hazards.${i}.photo_ids`);
              return { ...x, photos: ps.length ? ps : x.photos };
            }) });
        }
        this.setData({ busy: false, error: api.messageOf(err), fields: flat(err.fields) });
      }
    },
  },
}));
