-- Every list view is served by an index in its order: (filter, sort key) for each filter of the
-- hazard list and the other lists, the id being appended by the engine. The hazard search's index of
-- character pairs and the weekly trend's tallies are new tables; the application fills both at its
-- first start (EnsureSearch, EnsureTallies), since splitting text into pairs and placing instants in
-- the park's ISO weeks is done in Go.

-- +goose Up
CREATE INDEX IF NOT EXISTS `idx_hz_created` ON `hazards` (`created_at`);
CREATE INDEX IF NOT EXISTS `idx_hz_ent_created` ON `hazards` (`enterprise_id`,`created_at`);
CREATE INDEX IF NOT EXISTS `idx_hz_ent_deadline` ON `hazards` (`enterprise_id`,`deadline_at`);
CREATE INDEX IF NOT EXISTS `idx_hz_ent_status_deadline` ON `hazards` (`enterprise_id`,`status`,`deadline_at`);
CREATE INDEX IF NOT EXISTS `idx_hz_status_deadline` ON `hazards` (`status`,`deadline_at`);
CREATE INDEX IF NOT EXISTS `idx_hz_level_created` ON `hazards` (`level`,`created_at`);
CREATE INDEX IF NOT EXISTS `idx_hz_level_deadline` ON `hazards` (`level`,`deadline_at`);
CREATE INDEX IF NOT EXISTS `idx_hz_category_created` ON `hazards` (`category`,`created_at`);
CREATE INDEX IF NOT EXISTS `idx_hz_category_deadline` ON `hazards` (`category`,`deadline_at`);
CREATE INDEX IF NOT EXISTS `idx_hz_source_created` ON `hazards` (`source`,`created_at`);
CREATE INDEX IF NOT EXISTS `idx_hz_source_deadline` ON `hazards` (`source`,`deadline_at`);
CREATE INDEX IF NOT EXISTS `idx_notifications_user_unread` ON `notifications` (`user_id`,`read_at`,`created_at`);
CREATE INDEX IF NOT EXISTS `idx_hygiene_checks_ent_date` ON `hygiene_checks` (`enterprise_id`,`check_date`);
CREATE INDEX IF NOT EXISTS `idx_hygiene_checks_passed_date` ON `hygiene_checks` (`passed`,`check_date`);
CREATE INDEX IF NOT EXISTS `idx_leader_inspections_on_time_week` ON `leader_inspections` (`on_time`,`week`);
CREATE INDEX IF NOT EXISTS `idx_interviews_ent_scheduled` ON `interviews` (`enterprise_id`,`scheduled_at`);
CREATE INDEX IF NOT EXISTS `idx_interviews_status_scheduled` ON `interviews` (`status`,`scheduled_at`);

CREATE TABLE IF NOT EXISTS `hazard_terms` (
  `term` text,
  `hazard_id` integer,
  PRIMARY KEY (`term`,`hazard_id`)
);

CREATE TABLE IF NOT EXISTS `hazard_week_tallies` (
  `week` text,
  `enterprise_id` integer,
  `found` integer NOT NULL DEFAULT 0,
  `closed` integer NOT NULL DEFAULT 0,
  PRIMARY KEY (`week`,`enterprise_id`)
);
CREATE INDEX IF NOT EXISTS `idx_hazard_week_tallies_enterprise_id` ON `hazard_week_tallies` (`enterprise_id`);
