// deps follows what makes WeChat load a file of the mini-program, the way DevTools' code dependency
// analysis does: a page's or component's four files, the components its JSON uses, JS and WXS
// require/import, <wxs>/<import>/<include> in WXML and @import in WXSS. build-npm copies only the files
// of a package that the app reaches this way, and check-wxml reports any file under src/ that nothing
// reaches (DevTools' code-quality check calls them 无依赖文件 and wants them gone).
'use strict';

const fs = require('fs');
const path = require('path');

const COMPONENT = ['.json', '.js', '.wxml', '.wxss'];
const isFile = (p) => fs.existsSync(p) && fs.statSync(p).isFile();

/** refsOf lists what a file refers to, as [kind, spec]: kind 'component' (a path without extension) or 'file'. */
function refsOf(file) {
  const text = fs.readFileSync(file, 'utf8');
  const out = [];
  const add = (kind, re) => {
    for (const m of text.matchAll(re)) out.push([kind, m[1]]);
  };
  if (file.endsWith('.json')) {
    let j = null;
    try {
      j = JSON.parse(text);
    } catch (e) {
      return out; // not a configuration file
    }
    for (const v of Object.values(j.usingComponents || {})) out.push(['component', v]);
    for (const v of Object.values(j.componentGenerics || {})) if (v && v.default) out.push(['component', v.default]);
  } else if (file.endsWith('.js') || file.endsWith('.wxs')) {
    add('file', /\bfrom\s*["']([^"']+)["']/g);
    add('file', /\bimport\s*["']([^"']+)["']/g);
    add('file', /\brequire\(\s*["']([^"']+)["']\s*\)/g);
  } else if (file.endsWith('.wxml')) {
    add('file', /<(?:wxs|import|include)\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/g);
  } else if (file.endsWith('.wxss')) {
    add('file', /@import\s+["']([^"']+)["']/g);
  }
  return out;
}

/**
 * base turns a spec into the path it names, without extension: relative to the file, from root when it
 * starts with "/", and a bare module through the nearest miniprogram_npm folder above the file (as WeChat
 * resolves npm packages).
 */
function base(root, from, spec) {
  if (spec.startsWith('.')) return path.resolve(path.dirname(from), spec);
  if (spec.startsWith('/')) return path.join(root, spec);
  for (let dir = path.dirname(from); !path.relative(root, dir).startsWith('..'); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'miniprogram_npm', spec);
    if (fs.existsSync(candidate) || COMPONENT.concat(['.wxs']).some((e) => fs.existsSync(candidate + e))) return candidate;
  }
  return null;
}

/** fileOf finds the file a module spec's base names: itself, with an extension, or its folder's index.js. */
function fileOf(b, from) {
  const exts = from.endsWith('.wxml') ? ['', '.wxml', '.wxs'] : from.endsWith('.wxss') ? ['', '.wxss'] : ['', '.js', '.wxs', '.json'];
  for (const e of exts) if (isFile(b + e)) return b + e;
  return isFile(path.join(b, 'index.js')) ? path.join(b, 'index.js') : null;
}

/**
 * reach returns every file reached from the components (paths without extension) and files given,
 * and the references that resolve to nothing. root is the folder that "/" paths start from, and
 * outside of which no miniprogram_npm is looked for.
 * @param {string} root @param {string[]} components @param {string[]} files
 */
function reach(root, components, files) {
  const seen = new Set();
  const missing = [];
  const queue = [];
  const add = (f) => {
    if (!seen.has(f)) {
      seen.add(f);
      queue.push(f);
    }
  };
  const component = (b) => COMPONENT.forEach((e) => isFile(b + e) && add(b + e));
  components.forEach(component);
  files.filter(isFile).forEach(add);
  while (queue.length) {
    const file = queue.shift();
    for (const [kind, spec] of refsOf(file)) {
      if (/^(plugin|plugin-private):\/\//.test(spec)) continue;
      const b = base(root, file, spec);
      if (kind === 'component') {
        if (b && isFile(b + '.json')) component(b);
        else missing.push(`${path.relative(root, file)}: component ${spec}`);
      } else {
        const f = b && fileOf(b, file);
        if (f) add(f);
        else missing.push(`${path.relative(root, file)}: ${spec}`);
      }
    }
  }
  return { files: seen, missing };
}

/** app returns what the mini-program under src reaches from app.json: its pages (subpackages too) and their dependencies. */
function app(src) {
  const conf = JSON.parse(fs.readFileSync(path.join(src, 'app.json'), 'utf8'));
  const pages = [...conf.pages];
  for (const sp of conf.subpackages || conf.subPackages || []) for (const p of sp.pages) pages.push(sp.root.replace(/\/$/, '') + '/' + p);
  const files = ['app.js', 'app.json', 'app.wxss', conf.sitemapLocation || 'sitemap.json'].map((f) => path.join(src, f));
  for (const t of (conf.tabBar && conf.tabBar.list) || []) {
    for (const icon of [t.iconPath, t.selectedIconPath]) if (icon) files.push(path.join(src, icon));
  }
  return reach(src, pages.map((p) => path.join(src, p)), files);
}

/** walk lists every file under dir. */
function walk(dir, acc = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, acc);
    else acc.push(p);
  }
  return acc;
}

module.exports = { reach, app, walk };
