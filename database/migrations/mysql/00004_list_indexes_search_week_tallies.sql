-- Every list view is served by an index in its order: (filter, sort key) for each filter of the
-- hazard list and the other lists, the id being appended by the engine. The hazard search's index of
-- character pairs and the weekly trend's tallies are new tables; the application fills both at its
-- first start (EnsureSearch, EnsureTallies), since splitting text into pairs and placing instants in
-- the park's ISO weeks is done in Go.

-- +goose Up
ALTER TABLE `hazards`
  ADD INDEX `idx_hz_created` (`created_at`),
  ADD INDEX `idx_hz_ent_created` (`enterprise_id`,`created_at`),
  ADD INDEX `idx_hz_ent_deadline` (`enterprise_id`,`deadline_at`),
  ADD INDEX `idx_hz_ent_status_deadline` (`enterprise_id`,`status`,`deadline_at`),
  ADD INDEX `idx_hz_status_deadline` (`status`,`deadline_at`),
  ADD INDEX `idx_hz_level_created` (`level`,`created_at`),
  ADD INDEX `idx_hz_level_deadline` (`level`,`deadline_at`),
  ADD INDEX `idx_hz_category_created` (`category`,`created_at`),
  ADD INDEX `idx_hz_category_deadline` (`category`,`deadline_at`),
  ADD INDEX `idx_hz_source_created` (`source`,`created_at`),
  ADD INDEX `idx_hz_source_deadline` (`source`,`deadline_at`);
ALTER TABLE `notifications`
  ADD INDEX `idx_notifications_user_unread` (`user_id`,`read_at`,`created_at`);
ALTER TABLE `hygiene_checks`
  ADD INDEX `idx_hygiene_checks_ent_date` (`enterprise_id`,`check_date`),
  ADD INDEX `idx_hygiene_checks_passed_date` (`passed`,`check_date`);
ALTER TABLE `leader_inspections`
  ADD INDEX `idx_leader_inspections_on_time_week` (`on_time`,`week`);
ALTER TABLE `interviews`
  ADD INDEX `idx_interviews_ent_scheduled` (`enterprise_id`,`scheduled_at`),
  ADD INDEX `idx_interviews_status_scheduled` (`status`,`scheduled_at`);

CREATE TABLE IF NOT EXISTS `hazard_terms` (
  `term` varchar(2) NOT NULL,
  `hazard_id` bigint unsigned NOT NULL,
  PRIMARY KEY (`term`,`hazard_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `hazard_week_tallies` (
  `week` varchar(8) NOT NULL,
  `enterprise_id` bigint unsigned NOT NULL,
  `found` bigint NOT NULL DEFAULT 0,
  `closed` bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (`week`,`enterprise_id`),
  KEY `idx_hazard_week_tallies_enterprise_id` (`enterprise_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
