package model

// Sequences kept in Counter.
const (
	// CounterHazardCode numbers the hazards of a park-local day (Period YYYYMMDD): YH-20260508-0001.
	CounterHazardCode = "hazard_code"
	// CounterBulletinNumber numbers the notices of a year (Period YYYY): 龙池园区安环〔2026〕48号.
	CounterBulletinNumber = "bulletin_number"
)

// Counter is one running sequence: Name says what it numbers, Period the span it restarts with, and
// Last the last number handed out. Numbers are taken under the row's lock inside the transaction
// that uses them, so they are consecutive and never reused.
type Counter struct {
	Name   string `gorm:"primaryKey;size:32"`
	Period string `gorm:"primaryKey;size:16"`
	Last   int    `gorm:"not null"`
}
