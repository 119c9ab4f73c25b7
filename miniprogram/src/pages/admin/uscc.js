// uscc checks a 统一社会信用代码 (GB 32100-2015) on the phone, with the server's rule, so that a typo
// is marked beside the field before anything is sent.

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** checkChar returns the check character of the first 17 characters, or '' if one is not allowed. @param {string} body */
function checkChar(body) {
  let sum = 0;
  let w = 1;
  for (const ch of body.slice(0, 17)) {
    const v = CHARSET.indexOf(ch);
    if (v < 0) return '';
    sum += v * w;
    w = (w * 3) % 31;
  }
  return CHARSET[(31 - (sum % 31)) % 31];
}

/**
 * problem returns what is wrong with code in Chinese, or '' when it is a valid code.
 * @param {string} code
 */
function problem(code) {
  const c = (code || '').trim().toUpperCase();
  if (!c) return '请填写统一社会信用代码';
  if (c.length !== 18) return `统一社会信用代码应为 18 位（现为 ${c.length} 位）`;
  const bad = [...c].find((ch) => CHARSET.indexOf(ch) < 0);
  if (bad) return `统一社会信用代码不能含有字符“${bad}”（不使用 I、O、S、V、Z）`;
  const want = checkChar(c);
  if (c[17] !== want) return `统一社会信用代码校验位不正确，请核对（按前 17 位应为 ${want}）`;
  return '';
}

module.exports = { checkChar, problem, CHARSET };
