// Package model holds the GORM structs that make up ParkSafe's schema, and nothing else.
//
// Times are stored in UTC; the park's time zone is applied when dates and weeks are derived.
// Records are never hard-deleted; tables that two people can change at once carry a Version column
// for optimistic locking.
package model

// All lists every model, in an order that satisfies foreign keys: the schema the migrations under
// database/migrations must build, which a test holds them to.
func All() []any {
	return []any{
		&Enterprise{}, &User{}, &RefreshToken{}, &WeChatBindTicket{}, &IdempotencyRecord{},
		&Photo{}, &PhotoLink{}, &Blob{},
		&Hazard{}, &HazardEvent{}, &Rectification{}, &HazardExtension{}, &Counter{},
		&HygieneCheck{}, &HygieneArea{},
		&Job{}, &Bulletin{}, &WeeklyNotice{}, &Notification{}, &SubscriptionQuota{},
		&LeaderInspection{}, &Interview{},
		&HazardTally{},
		&HazardTerm{},
		&HazardWeekTally{},
		&CallbackNonce{},
		&Filing{}, &FilingEvent{}, &FilingItem{},
	}
}
