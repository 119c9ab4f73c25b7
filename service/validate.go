package service

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

const usccCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// ValidUSCC reports whether s is a 统一社会信用代码 whose check character is right (GB 32100-2015).
func ValidUSCC(s string) bool {
	return len(s) == 18 && CompleteUSCC(s[:17]) == s
}

// CompleteUSCC appends the GB 32100-2015 check character to the first 17 characters of a code. It
// returns "" when body is not 17 characters of the code's charset.
func CompleteUSCC(body string) string {
	if len(body) != 17 {
		return ""
	}
	sum, weight := 0, 1
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccCharset, body[i])
		if v < 0 {
			return ""
		}
		sum += v * weight
		weight = weight * 3 % 31
	}
	return body + string(usccCharset[(31-sum%31)%31])
}

var mobileRE = regexp.MustCompile(`^1[3-9]\d{9}$`)

// ValidMobile reports whether s is a Chinese mobile number.
func ValidMobile(s string) bool { return mobileRE.MatchString(s) }

// Text records a reason when s is empty (if required) or longer than max characters.
func (v *Validator) Text(s, field, label string, required bool, max int) {
	switch {
	case required && strings.TrimSpace(s) == "":
		v.Add(field, "请填写"+label)
	case utf8.RuneCountInString(s) > max:
		v.Add(field, label+"不能超过 "+strconv.Itoa(max)+" 个字")
	case !utf8.ValidString(s):
		v.Add(field, label+"包含无效字符")
	}
}

// Mobile records a reason when s is not a Chinese mobile number (empty allowed unless required).
func (v *Validator) Mobile(s, field, label string, required bool) {
	if s == "" && !required {
		return
	}
	v.Check(ValidMobile(s), field, label+"应为 11 位手机号码")
}
