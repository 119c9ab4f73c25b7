#!/usr/bin/env node
// build-npm does what WeChat DevTools' "构建 npm" does for this project, without DevTools: it copies
// each runtime dependency's mini-program build into src/miniprogram_npm/<name>. By default only the
// files that the app's usingComponents reach are copied (closed over component JSON, JS imports,
// <wxs>/<import>/<include> and WXSS @import: scripts/deps.js), which keeps the main package small and
// leaves DevTools' code-quality check no 无依赖文件 (type declarations, locales, theme sources);
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
const deps = require('./deps');

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

function buildPackage(name) {
  const pkgDir = path.join(root, 'node_modules', name);
  const meta = require(path.join(pkgDir, 'package.json'));
  if (!meta.miniprogram) return null;
  const dist = path.join(pkgDir, meta.miniprogram);
  const dest = path.join(out, name);

  let files;
  if (full) {
    files = deps.walk(dist);
  } else {
    const components = [];
    for (const f of appJSONFiles(src)) {
      const j = JSON.parse(fs.readFileSync(f, 'utf8'));
      for (const v of Object.values(j.usingComponents || {})) {
        if (typeof v === 'string' && v.startsWith(name + '/')) {
          const target = path.join(dist, v.slice(name.length + 1));
          if (!fs.existsSync(target + '.json')) throw new Error(`${path.relative(root, f)}: no component ${v}`);
          components.push(target);
        }
      }
    }
    const r = deps.reach(dist, components, []);
    if (r.missing.length) throw new Error(`${name}: references that resolve to nothing:\n${r.missing.join('\n')}`);
    files = [...r.files];
  }
  fs.rmSync(dest, { recursive: true, force: true });
  let bytes = 0;
  for (const from of files.sort()) {
    const to = path.join(dest, path.relative(dist, from));
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
    bytes += fs.statSync(from).size;
  }
  return { name, count: files.length, bytes };
}

fs.mkdirSync(out, { recursive: true });
for (const name of Object.keys(pkg.dependencies || {})) {
  const r = buildPackage(name);
  if (r) {
    console.log(`build:npm ${r.name}: ${r.count} files, ${(r.bytes / 1024).toFixed(0)} KiB${full ? ' (full)' : ''}`);
  }
}
