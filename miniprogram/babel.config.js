// Jest runs TDesign's ES modules (src/miniprogram_npm) and the app's CommonJS through Babel for Node.
module.exports = { presets: [['@babel/preset-env', { targets: { node: 'current' } }]] };
