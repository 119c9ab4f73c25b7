package wechat

import (
	"context"
	"testing"
)

// TestPhoneNumberKeepsTheCountryCode: purePhoneNumber alone cannot tell a mainland mobile from a
// number with the same digits elsewhere, so the country code comes with it.
func TestPhoneNumberKeepsTheCountryCode(t *testing.T) {
	fake.Reset()
	fake.SetPhoneIn("pc-us", "1", "13800138000")
	fake.SetPhoneIn("pc-cn", "86", "13800138000")
	mp := NewMiniProgram("app", "secret", nil)
	for code, want := range map[string]Phone{
		"pc-us": {CountryCode: "1", Number: "13800138000"},
		"pc-cn": {CountryCode: "86", Number: "13800138000"},
	} {
		if got, err := mp.PhoneNumber(context.Background(), code); err != nil || got != want {
			t.Errorf("%s: PhoneNumber = %+v, %v; want %+v", code, got, err, want)
		}
	}
}
