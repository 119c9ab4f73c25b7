package service_test

import (
	"testing"

	"parksafe/apitest"
	"parksafe/service"
)

func TestValidUSCCVectors(t *testing.T) {
	var valid, invalid int
	for _, v := range apitest.USCCVectors(t) {
		if got := service.ValidUSCC(v.Code); got != v.Valid {
			t.Errorf("ValidUSCC(%q) = %v, want %v (%s)", v.Code, got, v.Valid, v.Note)
		}
		if v.Valid {
			valid++
		} else {
			invalid++
		}
	}
	if valid == 0 || invalid == 0 {
		t.Fatalf("vectors: %d valid, %d invalid; want both kinds", valid, invalid)
	}
}

func TestValidUSCCEdges(t *testing.T) {
	for _, s := range []string{"", "914403001922038216 ", "９14403001922038216", "914403001922038 16", "91440300192203821\x00"} {
		if service.ValidUSCC(s) {
			t.Errorf("ValidUSCC(%q) = true", s)
		}
	}
	// Lower case is not in the charset; the enterprise service upper-cases input before checking.
	if service.ValidUSCC("91330100716105852f") {
		t.Error("lower-case check character accepted")
	}
}

func TestValidMobile(t *testing.T) {
	for s, want := range map[string]bool{
		"13912345678": true, "19912345678": true, "12912345678": false, "1391234567": false,
		"139123456789": false, "+8613912345678": false, "1391234567a": false, "": false, "１3912345678": false,
	} {
		if got := service.ValidMobile(s); got != want {
			t.Errorf("ValidMobile(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestCompleteUSCC(t *testing.T) {
	for _, v := range apitest.USCCVectors(t) {
		if v.Valid && service.CompleteUSCC(v.Code[:17]) != v.Code {
			t.Errorf("CompleteUSCC(%q) = %q, want %q", v.Code[:17], service.CompleteUSCC(v.Code[:17]), v.Code)
		}
	}
	for _, s := range []string{"", "9144030019220382", "914403001922O3821"} {
		if got := service.CompleteUSCC(s); got != "" {
			t.Errorf("CompleteUSCC(%q) = %q", s, got)
		}
	}
}
