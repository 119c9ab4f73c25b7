// setup-wx runs in every test file before the tests: it loads miniprogram-simulate (which defines
// Component and Behavior), puts the wx stand-in in place of simulate's stub, and points the app's
// config at the test server.
const fs = require('fs');
const path = require('path');
require('miniprogram-simulate');
const { createWx } = require('./wx-node');

const base = global.wx || {};
const first = createWx('phone1');
global.wx = Object.assign(Object.create(base), first);
global.getApp = () => ({});
global.getCurrentPages = () => [];

const state = JSON.parse(fs.readFileSync(process.env.PARKSAFE_STATE, 'utf8'));
const config = require(path.resolve(__dirname, '../../src/config'));
config.apiBase = state.api;
global.__PARKSAFE_STATE__ = state;
