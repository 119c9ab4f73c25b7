// photo takes photos with the camera or from the album, compresses them on the phone (a 4000×3000
// camera photo is several megabytes; plant roads have weak signal), notes where and when they were
// taken, and renews a signed link that expired while a page was open.

const api = require('./api');
const config = require('../config');

/** @param {string} src @returns {Promise<{width: number, height: number}>} */
function imageInfo(src) {
  return new Promise((resolve) => {
    wx.getImageInfo({ src, success: (r) => resolve({ width: r.width, height: r.height }), fail: () => resolve({ width: 0, height: 0 }) });
  });
}

/**
 * compress scales a photo to at most config.photoMaxEdge on its longest edge and re-encodes it at
 * config.photoQuality; a photo that cannot be compressed is sent as it is.
 * @param {string} src @returns {Promise<string>}
 */
async function compress(src) {
  const { width, height } = await imageInfo(src);
  /** @type {WechatMiniprogram.CompressImageOption} */
  const o = { src, quality: config.photoQuality };
  if (width >= height && width > config.photoMaxEdge) o.compressedWidth = config.photoMaxEdge;
  if (height > width && height > config.photoMaxEdge) o.compressedHeight = config.photoMaxEdge;
  return new Promise((resolve) => {
    wx.compressImage({ ...o, success: (r) => resolve(r.tempFilePath), fail: () => resolve(src) });
  });
}

/** @returns {Promise<{latitude: number, longitude: number}|null>} */
function locate() {
  return new Promise((resolve) => {
    wx.getLocation({ type: 'gcj02', success: (r) => resolve({ latitude: r.latitude, longitude: r.longitude }), fail: () => resolve(null) });
  });
}

/** @param {string} path @returns {number} */
function sizeOf(path) {
  try {
    return /** @type {any} */ (wx.getFileSystemManager().statSync(path)).size;
  } catch (e) {
    return 0;
  }
}

/**
 * take lets the user take or pick up to count photos and returns them compressed, with the time and
 * place; an empty list when the user cancels.
 * @param {number} count
 * @returns {Promise<import('../../types').LocalPhoto[]>}
 */
async function take(count) {
  let res;
  try {
    res = await new Promise((resolve, reject) =>
      wx.chooseMedia({ count, mediaType: ['image'], sourceType: ['camera', 'album'], sizeType: ['original'], success: resolve, fail: reject }));
  } catch (e) {
    return [];
  }
  const takenAt = new Date().toISOString();
  const where = await locate();
  const out = [];
  for (const f of res.tempFiles) {
    const path = await compress(f.tempFilePath);
    out.push({ path, takenAt, size: sizeOf(path), ...(where || {}) });
  }
  return out;
}

/** preview opens the photos full size, starting at current. @param {string[]} urls @param {string} current */
function preview(urls, current) {
  wx.previewImage({ urls, current });
}

/**
 * renew asks the server for fresh signed links of a photo whose link expired (an <image binderror>).
 * @param {number} id
 * @returns {Promise<{url: string, thumb_url: string}|null>}
 */
async function renew(id) {
  try {
    const p = await api.get('/photos/' + id);
    return { url: p.url, thumb_url: p.thumb_url };
  } catch (e) {
    return null;
  }
}

/**
 * onImageError is a page method for <image binderror="onImageError" data-photo="{{id}}" data-path="photos[0].thumb_url">:
 * it renews the link once per photo and sets the data path to the fresh link of the same variant.
 * @this {any}
 */
async function onImageError(e) {
  const { photo, path, variant } = e.currentTarget.dataset;
  this._renewed = this._renewed || {};
  if (!photo || this._renewed[photo]) return;
  this._renewed[photo] = true;
  const links = await renew(Number(photo));
  if (links) this.setData({ [path]: variant === 'url' ? links.url : links.thumb_url });
}

module.exports = { take, compress, locate, preview, renew, onImageError };
