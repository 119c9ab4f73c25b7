package app

import (
	"parksafe/service"
	"parksafe/service/filing"
	"parksafe/service/hazard"
)

// newFilings builds the filing service on the app's hazards and notifier.
func (a *App) newFilings() *filing.Filings {
	return filing.New(filing.Deps{DB: a.DB, Park: a.Park, Hazards: a.Hazards, Notifier: a.Notifier, Log: a.Log})
}

// FilingsAt returns a filing service whose clock is park's, for records made as of an earlier time
// (the demo's week of filings): its findings open hazards on the same clock, it notifies nobody
// (a notice would carry today's time) and it runs no jobs.
func (a *App) FilingsAt(park service.ParkTime) *filing.Filings {
	return filing.New(filing.Deps{DB: a.DB, Park: park, Hazards: hazard.New(a.DB, park, nil, a.Log), Log: a.Log})
}
