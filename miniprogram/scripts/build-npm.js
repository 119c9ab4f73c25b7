#!/usr/bin/env node
// build-npm does what WeChat DevTools' "构建 npm" does for this project, without DevTools: it copies
// each runtime dependency's mini-program build into src/miniprogram_npm/<name>. By default only the
// TDesign folders that the app's usingComponents reach are copied (closed over component JSON, JS
// imports, <wxs>/<import>/<include> and WXSS @import), which keeps the main package far under 2 MB;
// --full copies everything, as DevTools would. The output is committed so that opening miniprogram/
// in DevTools needs no npm step; CI rebuilds it and fails on a difference.
'use strict';

const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const src = path.join(root, 'src');
const out = path.join(src, 'miniprogram_npm');
const full = process.argv.includes('--full');
const pkg = require(path.join(root, 'package.json'));

/** Every app/page/component JSON file of the app itself. */
function appJSONFiles(dir, acc = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (p !== out) appJSONFiles(p, acc);
    } else if (e.name.endsWith('.json') && e.name !== 'sitemap.json') {
      acc.push(p);
    }
  }
  return acc;
}

function walk(dir, acc = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, acc);
    else acc.push(p);
  }
  return acc;
}

/** The references a file makes to other files: relative or bare module paths. */
function refs(file) {
  const text = fs.readFileSync(file, 'utf8');
  const found = [];
  const add = (re) => {
    for (const m of text.matchAll(re)) found.push(m[1]);
  };
  if (file.endsWith('.json')) {
    try {
      const j = JSON.parse(text);
      for (const v of Object.values(j.usingComponents || {})) found.push(v);
      for (const v of Object.values(j.componentGenerics || {})) if (v && v.default) found.push(v.default);
    } catch (e) {
      /* not a component file */
    }
  } else if (file.endsWith('.js') || file.endsWith('.wxs')) {
    add(/\bfrom\s*["']([^"']+)["']/g);
    add(/\bimport\s*["']([^"']+)["']/g);
    add(/\brequire\(\s*["']([^"']+)["']\s*\)/g);
  } else if (file.endsWith('.wxml')) {
    add(/<(?:wxs|import|include)\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/g);
  } else if (file.endsWith('.wxss')) {
    add(/@import\s+["']([^"']+)["']/g);
  }
  return found;
}

function buildPackage(name) {
  const pkgDir = path.join(root, 'node_modules', name);
  const meta = require(path.join(pkgDir, 'package.json'));
  if (!meta.miniprogram) return null;
  const dist = path.join(pkgDir, meta.miniprogram);
  const dest = path.join(out, name);

  // A unit is a top-level folder of the dist, or miniprogram_npm/<dep> for the packages it bundles.
  const unitOf = (abs) => {
    const rel = path.relative(dist, abs).split(path.sep);
    if (rel[0] === '..' || rel[0] === '') return null;
    if (rel.length === 1) return rel[0]; // a file at the top (index.js)
    return rel[0] === 'miniprogram_npm' ? rel.slice(0, 2).join('/') : rel[0];
  };
  const units = new Set();
  if (full) {
    for (const e of fs.readdirSync(dist)) units.add(e);
  } else {
    const queue = [];
    const want = (u) => {
      if (u && !units.has(u)) {
        units.add(u);
        queue.push(u);
      }
    };
    for (const f of appJSONFiles(src)) {
      const j = JSON.parse(fs.readFileSync(f, 'utf8'));
      for (const v of Object.values(j.usingComponents || {})) {
        if (typeof v === 'string' && v.startsWith(name + '/')) {
          const target = path.join(dist, v.slice(name.length + 1));
          if (!fs.existsSync(target + '.json')) throw new Error(`${path.relative(root, f)}: no component ${v}`);
          want(unitOf(target));
        }
      }
    }
    while (queue.length) {
      const u = queue.shift();
      const abs = path.join(dist, u);
      const files = fs.statSync(abs).isDirectory() ? walk(abs) : [abs];
      for (const file of files) {
        for (const r of refs(file)) {
          if (r.startsWith('.')) {
            want(unitOf(path.resolve(path.dirname(file), r)));
          } else if (r.startsWith('/')) {
            continue; // app-absolute: not part of this package
          } else {
            // A bare module: TDesign's own bundled dependencies under miniprogram_npm.
            const bare = r.split('/')[0];
            if (fs.existsSync(path.join(dist, 'miniprogram_npm', bare))) want('miniprogram_npm/' + bare);
          }
        }
      }
    }
  }
  fs.rmSync(dest, { recursive: true, force: true });
  let bytes = 0;
  let count = 0;
  for (const u of [...units].sort()) {
    const from = path.join(dist, u);
    const to = path.join(dest, u);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.cpSync(from, to, { recursive: true });
    for (const f of fs.statSync(from).isDirectory() ? walk(from) : [from]) {
      bytes += fs.statSync(f).size;
      count++;
    }
  }
  return { name, units: units.size, count, bytes };
}

fs.mkdirSync(out, { recursive: true });
for (const name of Object.keys(pkg.dependencies || {})) {
  const r = buildPackage(name);
  if (r) {
    console.log(`build:npm ${r.name}: ${r.units} folders, ${r.count} files, ${(r.bytes / 1024).toFixed(0)} KiB${full ? ' (full)' : ''}`);
  }
}
