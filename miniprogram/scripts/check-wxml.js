#!/usr/bin/env node
// check-wxml runs the checks WeChat DevTools would complain about, without DevTools:
//  1. WeChat's own WXML compiler (wcc) over every .wxml/.wxs under src/ (unclosed or mismatched tags,
//     bad {{ }} expressions) and its WXSS compiler (wcsc) over every .wxss;
//  2. every page in app.json (and its subpackages) has .js, .json and .wxml, and every usingComponents
//     path resolves (npm paths through src/miniprogram_npm);
//  3. every tag a page or component of the app uses is built in or declared (the runtime renders an
//     undeclared tag as nothing) and every declared component is used (DevTools' quality check);
//  4. every file under src/ is reached from app.json, and every reference resolves (scripts/deps.js):
//     DevTools' quality check wants files that nothing loads (无依赖文件) out of the package.
'use strict';

const fs = require('fs');
const path = require('path');
const compiler = require('miniprogram-compiler');
const deps = require('./deps');

const src = path.resolve(__dirname, '..', 'src');
const npm = path.join(src, 'miniprogram_npm');
const problems = [];
const rel = (p) => path.relative(path.resolve(src, '..'), p);

// Built-in components of the base library (https://developers.weixin.qq.com/miniprogram/dev/component/).
const BUILTIN = new Set(('view scroll-view swiper swiper-item movable-area movable-view cover-view cover-image ' +
  'icon text rich-text progress button checkbox checkbox-group editor form input keyboard-accessory label picker ' +
  'picker-view picker-view-column radio radio-group slider switch textarea navigator audio camera image video ' +
  'live-player live-pusher voip-room map canvas web-view ad official-account open-data page-meta navigation-bar ' +
  'block template import include wxs slot match-media page-container root-portal share-element grid-view list-view ' +
  'sticky-header sticky-section').split(' '));

function walk(dir, acc = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (p !== npm) walk(p, acc);
    } else acc.push(p);
  }
  return acc;
}

// 1. wcc and wcsc over everything under src/ (including miniprogram_npm, as the runtime compiles it).
try {
  compiler.wxmlToJs(src, { maxBuffer: 64 * 1024 * 1024 });
} catch (e) {
  problems.push('wcc: ' + String(e.message || e).trim());
}
try {
  compiler.wxssToJs(src, { maxBuffer: 64 * 1024 * 1024 });
} catch (e) {
  problems.push('wcsc: ' + String(e.message || e).trim());
}

// 2. pages and component paths.
const app = JSON.parse(fs.readFileSync(path.join(src, 'app.json'), 'utf8'));
const pages = [...app.pages];
for (const sp of app.subpackages || app.subPackages || []) for (const p of sp.pages) pages.push(sp.root.replace(/\/$/, '') + '/' + p);
for (const p of pages) {
  for (const ext of ['.js', '.json', '.wxml']) {
    if (!fs.existsSync(path.join(src, p + ext))) problems.push(`${p}: missing ${p + ext}`);
  }
}
for (const t of (app.tabBar && app.tabBar.list) || []) {
  if (!app.pages.includes(t.pagePath)) problems.push(`tabBar: ${t.pagePath} is not a main-package page`);
}

function resolveComponent(fromJSON, target) {
  let base;
  if (target.startsWith('/')) base = path.join(src, target);
  else if (target.startsWith('.')) base = path.resolve(path.dirname(fromJSON), target);
  else base = path.join(npm, target);
  return fs.existsSync(base + '.json') ? base : null;
}

const globalComponents = app.usingComponents || {};
for (const [tag, target] of Object.entries(globalComponents)) {
  if (!resolveComponent(path.join(src, 'app.json'), target)) problems.push(`app.json: ${tag} → ${target} does not resolve`);
}

// 3. tags used vs declared, for the app's own pages and components.
for (const file of walk(src).filter((f) => f.endsWith('.wxml'))) {
  const jsonFile = file.replace(/\.wxml$/, '.json');
  if (!fs.existsSync(jsonFile)) continue; // an <import>ed template
  const conf = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
  const declared = conf.usingComponents || {};
  for (const [tag, target] of Object.entries(declared)) {
    if (!resolveComponent(jsonFile, target)) problems.push(`${rel(jsonFile)}: ${tag} → ${target} does not resolve`);
  }
  const wxml = fs.readFileSync(file, 'utf8').replace(/<!--[\s\S]*?-->/g, '');
  const used = new Set([...wxml.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => m[1]));
  for (const tag of used) {
    if (!BUILTIN.has(tag) && !declared[tag] && !globalComponents[tag]) {
      problems.push(`${rel(file)}: <${tag}> is neither built in nor declared in usingComponents`);
    }
  }
  for (const tag of Object.keys(declared)) {
    if (!used.has(tag)) problems.push(`${rel(jsonFile)}: ${tag} is declared but not used`);
  }
}

// 4. files nothing reaches, and references to nothing.
const reached = deps.app(src);
for (const m of reached.missing) problems.push(`${m} resolves to nothing`);
for (const f of deps.walk(src)) {
  if (!reached.files.has(f)) problems.push(`${rel(f)}: nothing loads it (DevTools: 无依赖文件)`);
}

if (problems.length) {
  for (const p of problems) console.error(p);
  console.error(`check:wxml: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`check:wxml: ${pages.length} pages, ${reached.files.size} files OK`);
