-- The schema every later migration starts from: the models' tables and indexes when
-- migrations became numbered. IF NOT EXISTS because on a database of an earlier release, which the
-- start's one-off upgrade has just brought to this schema, the file only records the version.

-- +goose Up
CREATE TABLE IF NOT EXISTS `users` (
  `id` integer PRIMARY KEY AUTOINCREMENT,
  `name` text NOT NULL,
  `username` text,
  `mobile` text,
  `role` text NOT NULL,
  `enterprise_id` integer,
  `status` text NOT NULL,
  `password_hash` text NOT NULL DEFAULT "",
  `open_id` text,
  `union_id` text,
  `mobile_confirmed` numeric NOT NULL DEFAULT false,
  `auth_version` integer NOT NULL DEFAULT 1,
  `version` integer NOT NULL DEFAULT 1,
  `created_at` datetime,
  `updated_at` datetime
);
CREATE INDEX IF NOT EXISTS `idx_users_enterprise_id` ON `users` (`enterprise_id`);
CREATE UNIQUE INDEX IF NOT EXISTS `idx_users_mobile` ON `users` (`mobile`);
CREATE UNIQUE INDEX IF NOT EXISTS `idx_users_open_id` ON `users` (`open_id`);
CREATE INDEX IF NOT EXISTS `idx_users_role_status` ON `users` (`role`,`status`);
CREATE INDEX IF NOT EXISTS `idx_users_union_id` ON `users` (`union_id`);
CREATE UNIQUE INDEX IF NOT EXISTS `idx_users_username` ON `users` (`username`);

CREATE TABLE IF NOT EXISTS `enterprises` (
  `id` integer PRIMARY KEY AUTOINCREMENT,
  `name` text NOT NULL,
  `uscc` text NOT NULL,
  `kind` text NOT NULL,
  `address` text NOT NULL DEFAULT "",
  `principal_name` text NOT NULL DEFAULT "",
  `principal_mobile` text NOT NULL DEFAULT "",
  `safety_officer_name` text NOT NULL DEFAULT "",
  `safety_officer_mobile` text NOT NULL DEFAULT "",
  `major_hazard_count` integer NOT NULL DEFAULT 0,
  `cadre_id` integer,
  `status` text NOT NULL,
  `version` integer NOT NULL DEFAULT 1,
  `created_at` datetime,
  `updated_at` datetime
);
CREATE INDEX IF NOT EXISTS `idx_enterprises_cadre_id` ON `enterprises` (`cadre_id`);
CREATE UNIQUE INDEX IF NOT EXISTS `idx_enterprises_name` ON `enterprises` (`name`);
CREATE INDEX IF NOT EXISTS `idx_enterprises_status` ON `enterprises` (`status`);
CREATE UNIQUE INDEX IF NOT EXISTS `idx_enterprises_uscc` ON `enterprises` (`uscc`);

CREATE TABLE IF NOT EXISTS `refresh_tokens` (
  `id` integer PRIMARY KEY AUTOINCREMENT,
  `user_id` integer NOT NULL,
  `family_id` text NOT NULL,
  `token_hash` text NOT NULL,
  `expires_at` datetime NOT NULL,
  `used_at` datetime,
  `revoked_at` datetime,
  `created_at` datetime
);
CREATE INDEX IF NOT EXISTS `idx_refresh_tokens_expires_at` ON `refresh_tokens` (`expires_at`);
CREATE INDEX IF NOT EXISTS `idx_refresh_tokens_family_id` ON `refresh_tokens` (`family_id`);
CREATE UNIQUE INDEX IF NOT EXISTS `idx_refresh_tokens_token_hash` ON `refresh_tokens` (`token_hash`);
CREATE INDEX IF NOT EXISTS `idx_refresh_tokens_user_id` ON `refresh_tokens` (`user_id`);

CREATE TABLE IF NOT EXISTS `we_chat_bind_tickets` (
  `id` integer PRIMARY KEY AUTOINCREMENT,
  `token_hash` text NOT NULL,
  `open_id` text NOT NULL,
  `union_id` text NOT NULL DEFAULT "",
  `expires_at` datetime NOT NULL,
  `used_at` datetime,
  `created_at` datetime
);
CREATE INDEX IF NOT EXISTS `idx_we_chat_bind_tickets_expires_at` ON `we_chat_bind_tickets` (`expires_at`);
CREATE UNIQUE INDEX IF NOT EXISTS `idx_we_chat_bind_tickets_token_hash` ON `we_chat_bind_tickets` (`token_hash`);

CREATE TABLE IF NOT EXISTS `idempotency_records` (
  `id` integer PRIMARY KEY AUTOINCREMENT,
  `user_id` integer NOT NULL,
  `key` text NOT NULL,
  `route` text NOT NULL,
  `path_hash` text NOT NULL DEFAULT "",
  `request_hash` text NOT NULL,
  `token` text NOT NULL DEFAULT "",
  `lease_until` datetime,
  `committed_at` datetime,
  `status_code` integer NOT NULL DEFAULT 0,
  `body` mediumblob,
  `expires_at` datetime NOT NULL,
  `created_at` datetime
);
CREATE UNIQUE INDEX IF NOT EXISTS `idx_idem_user_key` ON `idempotency_records` (`user_id`,`key`);
CREATE INDEX IF NOT EXISTS `idx_idempotency_records_expires_at` ON `idempotency_records` (`expires_at`);

CREATE TABLE IF NOT EXISTS `photos` (
  `id` integer PRIMARY KEY AUTOINCREMENT,
  `uploader_id` integer NOT NULL,
  `sha256` text NOT NULL,
  `size` integer NOT NULL,
  `width` integer NOT NULL,
  `height` integer NOT NULL,
  `content_type` text NOT NULL,
  `storage_key` text NOT NULL,
  `thumb_key` text NOT NULL,
  `taken_at` datetime,
  `latitude` real,
  `longitude` real,
  `exif_taken_at` datetime,
  `exif_latitude` real,
  `exif_longitude` real,
  `linked_at` datetime,
  `created_at` datetime
);
CREATE INDEX IF NOT EXISTS `idx_photos_created_at` ON `photos` (`created_at`);
CREATE INDEX IF NOT EXISTS `idx_photos_linked_at` ON `photos` (`linked_at`);
CREATE INDEX IF NOT EXISTS `idx_photos_sha256` ON `photos` (`sha256`);
CREATE INDEX IF NOT EXISTS `idx_photos_uploader_id` ON `photos` (`uploader_id`);

CREATE TABLE IF NOT EXISTS `photo_links` (
  `id` integer PRIMARY KEY AUTOINCREMENT,
  `photo_id` integer NOT NULL,
  `owner_type` text NOT NULL,
  `owner_id` integer NOT NULL,
  `role` text NOT NULL DEFAULT "",
  `enterprise_id` integer,
  `position` integer NOT NULL DEFAULT 0,
  `created_at` datetime
);
CREATE INDEX IF NOT EXISTS `idx_photo_links_enterprise_id` ON `photo_links` (`enterprise_id`);
CREATE UNIQUE INDEX IF NOT EXISTS `idx_photo_links_owner` ON `photo_links` (`owner_type`,`owner_id`,`role`,`photo_id`);
CREATE INDEX IF NOT EXISTS `idx_photo_links_photo_id` ON `photo_links` (`photo_id`);

CREATE TABLE IF NOT EXISTS `hazards` (
  `id` integer PRIMARY KEY AUTOINCREMENT,
  `code` text NOT NULL,
  `enterprise_id` integer NOT NULL,
  `source` text NOT NULL,
  `category` text NOT NULL,
  `level` text NOT NULL,
  `title` text NOT NULL,
  `description` text NOT NULL,
  `location` text NOT NULL DEFAULT "",
  `latitude` real,
  `longitude` real,
  `requirement` text NOT NULL,
  `deadline` text NOT NULL,
  `deadline_at` datetime NOT NULL,
  `status` text NOT NULL,
  `reject_count` integer NOT NULL DEFAULT 0,
  `reporter_id` integer NOT NULL,
  `origin_type` text NOT NULL DEFAULT "",
  `origin_id` integer NOT NULL DEFAULT 0,
  `duplicate_of` integer,
  `closed_at` datetime,
  `version` integer NOT NULL DEFAULT 1,
  `created_at` datetime NOT NULL,
  `updated_at` datetime
);
CREATE UNIQUE INDEX IF NOT EXISTS `idx_hazards_code` ON `hazards` (`code`);
CREATE INDEX IF NOT EXISTS `idx_hazards_created_dims` ON `hazards` (`created_at`,`status`,`level`,`category`,`source`);
CREATE INDEX IF NOT EXISTS `idx_hazards_deadline_at` ON `hazards` (`deadline_at`);
CREATE INDEX IF NOT EXISTS `idx_hazards_duplicate_of` ON `hazards` (`duplicate_of`);
CREATE INDEX IF NOT EXISTS `idx_hazards_ent_created_dims` ON `hazards` (`enterprise_id`,`created_at`,`status`,`level`,`category`,`source`);
CREATE INDEX IF NOT EXISTS `idx_hazards_ent_status_created` ON `hazards` (`enterprise_id`,`status`,`created_at`);
CREATE INDEX IF NOT EXISTS `idx_hazards_ent_status_deadline` ON `hazards` (`enterprise_id`,`status`,`deadline_at`,`created_at`,`closed_at`);
CREATE INDEX IF NOT EXISTS `idx_hazards_origin_id` ON `hazards` (`origin_id`);
CREATE INDEX IF NOT EXISTS `idx_hazards_reporter_id` ON `hazards` (`reporter_id`);
CREATE INDEX IF NOT EXISTS `idx_hazards_source` ON `hazards` (`source`);
CREATE INDEX IF NOT EXISTS `idx_hazards_status_closed` ON `hazards` (`status`,`closed_at`,`enterprise_id`);
CREATE INDEX IF NOT EXISTS `idx_hazards_status_created` ON `hazards` (`status`,`created_at`);
CREATE INDEX IF NOT EXISTS `idx_hazards_status_deadline_created` ON `hazards` (`status`,`deadline_at`,`created_at`,`enterprise_id`);

CREATE TABLE IF NOT EXISTS `hazard_events` (
  `id` integer PRIMARY KEY AUTOINCREMENT,
  `hazard_id` integer NOT NULL,
  `action` text NOT NULL,
  `from_status` text NOT NULL DEFAULT "",
  `to_status` text NOT NULL DEFAULT "",
  `actor_id` integer NOT NULL,
  `actor_name` text NOT NULL,
  `actor_role` text NOT NULL,
  `comment` text NOT NULL,
  `created_at` datetime
);
CREATE INDEX IF NOT EXISTS `idx_hazard_events_hazard_id` ON `hazard_events` (`hazard_id`);

CREATE TABLE IF NOT EXISTS `rectifications` (
  `id` integer PRIMARY KEY AUTOINCREMENT,
  `hazard_id` integer NOT NULL,
  `description` text NOT NULL,
  `submitter_id` integer NOT NULL,
  `created_at` datetime
);
CREATE INDEX IF NOT EXISTS `idx_rectifications_hazard_id` ON `rectifications` (`hazard_id`);

CREATE TABLE IF NOT EXISTS `hazard_extensions` (
  `id` integer PRIMARY KEY AUTOINCREMENT,
  `hazard_id` integer NOT NULL,
  `old_deadline` text NOT NULL,
  `new_deadline` text NOT NULL,
  `reason` text NOT NULL,
  `requester_id` integer NOT NULL,
  `status` text NOT NULL,
  `decider_id` integer,
  `comment` text NOT NULL,
  `decided_at` datetime,
  `created_at` datetime
);
CREATE INDEX IF NOT EXISTS `idx_hazard_extensions_hazard_id` ON `hazard_extensions` (`hazard_id`);

CREATE TABLE IF NOT EXISTS `counters` (
  `name` text,
  `period` text,
  `last` integer NOT NULL,
  PRIMARY KEY (`name`,`period`)
);

CREATE TABLE IF NOT EXISTS `hygiene_checks` (
  `id` integer PRIMARY KEY AUTOINCREMENT,
  `enterprise_id` integer NOT NULL,
  `week` text NOT NULL,
  `check_date` text NOT NULL,
  `on_schedule` numeric NOT NULL,
  `deadline` text NOT NULL DEFAULT "",
  `passed` numeric NOT NULL,
  `failed_areas` integer NOT NULL DEFAULT 0,
  `inspector_id` integer NOT NULL,
  `note` text NOT NULL,
  `version` integer NOT NULL DEFAULT 1,
  `created_at` datetime,
  `updated_at` datetime
);
CREATE INDEX IF NOT EXISTS `idx_hygiene_checks_check_date` ON `hygiene_checks` (`check_date`);
CREATE UNIQUE INDEX IF NOT EXISTS `idx_hygiene_checks_ent_week` ON `hygiene_checks` (`enterprise_id`,`week`);
CREATE INDEX IF NOT EXISTS `idx_hygiene_checks_inspector_id` ON `hygiene_checks` (`inspector_id`);
CREATE INDEX IF NOT EXISTS `idx_hygiene_checks_passed` ON `hygiene_checks` (`passed`);
CREATE INDEX IF NOT EXISTS `idx_hygiene_checks_week` ON `hygiene_checks` (`week`);

CREATE TABLE IF NOT EXISTS `hygiene_areas` (
  `id` integer PRIMARY KEY AUTOINCREMENT,
  `check_id` integer NOT NULL,
  `area` text NOT NULL,
  `passed` numeric NOT NULL,
  `note` text NOT NULL,
  `hazard_id` integer
);
CREATE INDEX IF NOT EXISTS `idx_hygiene_areas_check_id` ON `hygiene_areas` (`check_id`);
CREATE INDEX IF NOT EXISTS `idx_hygiene_areas_hazard_id` ON `hygiene_areas` (`hazard_id`);

CREATE TABLE IF NOT EXISTS `jobs` (
  `id` integer PRIMARY KEY AUTOINCREMENT,
  `kind` text NOT NULL,
  `payload` text NOT NULL,
  `state` text NOT NULL,
  `attempts` integer NOT NULL DEFAULT 0,
  `max_attempts` integer NOT NULL DEFAULT 8,
  `run_at` datetime NOT NULL,
  `lease_owner` text NOT NULL DEFAULT "",
  `lease_until` datetime,
  `last_error` text NOT NULL,
  `dedupe_key` text,
  `created_at` datetime,
  `updated_at` datetime
);
CREATE UNIQUE INDEX IF NOT EXISTS `idx_jobs_dedupe_key` ON `jobs` (`dedupe_key`);
CREATE INDEX IF NOT EXISTS `idx_jobs_due` ON `jobs` (`state`,`run_at`);
CREATE INDEX IF NOT EXISTS `idx_jobs_lease_until` ON `jobs` (`lease_until`);

CREATE TABLE IF NOT EXISTS `bulletins` (
  `id` integer PRIMARY KEY AUTOINCREMENT,
  `title` text NOT NULL,
  `kind` text NOT NULL,
  `week` text NOT NULL DEFAULT "",
  `number` text NOT NULL DEFAULT "",
  `content_markdown` mediumtext NOT NULL,
  `cover_photo_id` integer,
  `status` text NOT NULL,
  `publish_attempt` integer NOT NULL DEFAULT 0,
  `thumb_media_id` text NOT NULL DEFAULT "",
  `wx_images` text NOT NULL,
  `draft_media_id` text NOT NULL DEFAULT "",
  `submitting_at` datetime,
  `publish_id` integer,
  `article_url` text NOT NULL DEFAULT "",
  `article_id` text NOT NULL DEFAULT "",
  `published_at` datetime,
  `error` text NOT NULL,
  `author_id` integer NOT NULL,
  `version` integer NOT NULL DEFAULT 1,
  `created_at` datetime,
  `updated_at` datetime,
  `reported_photos` text,
  `content_html` mediumtext
);
CREATE INDEX IF NOT EXISTS `idx_bulletins_cover_photo_id` ON `bulletins` (`cover_photo_id`);
CREATE INDEX IF NOT EXISTS `idx_bulletins_kind_week` ON `bulletins` (`kind`,`week`);
CREATE INDEX IF NOT EXISTS `idx_bulletins_publish_id` ON `bulletins` (`publish_id`);
CREATE INDEX IF NOT EXISTS `idx_bulletins_status` ON `bulletins` (`status`);
CREATE INDEX IF NOT EXISTS `idx_bulletins_updated_at` ON `bulletins` (`updated_at`);

CREATE TABLE IF NOT EXISTS `weekly_notices` (
  `kind` text,
  `week` text,
  `bulletin_id` integer NOT NULL,
  PRIMARY KEY (`kind`,`week`)
);
CREATE UNIQUE INDEX IF NOT EXISTS `idx_weekly_notices_bulletin_id` ON `weekly_notices` (`bulletin_id`);

CREATE TABLE IF NOT EXISTS `notifications` (
  `id` integer PRIMARY KEY AUTOINCREMENT,
  `user_id` integer NOT NULL,
  `kind` text NOT NULL,
  `title` text NOT NULL,
  `body` text NOT NULL,
  `link` text NOT NULL DEFAULT "",
  `dedupe_key` text,
  `push_status` text NOT NULL DEFAULT "",
  `push_error` text NOT NULL DEFAULT "",
  `read_at` datetime,
  `created_at` datetime
);
CREATE UNIQUE INDEX IF NOT EXISTS `idx_notifications_dedupe_key` ON `notifications` (`dedupe_key`);
CREATE INDEX IF NOT EXISTS `idx_notifications_read_at` ON `notifications` (`read_at`);
CREATE INDEX IF NOT EXISTS `idx_notifications_user` ON `notifications` (`user_id`,`created_at`);

CREATE TABLE IF NOT EXISTS `subscription_quota` (
  `user_id` integer,
  `template_id` text,
  `remaining` integer NOT NULL DEFAULT 0,
  `updated_at` datetime,
  PRIMARY KEY (`user_id`,`template_id`)
);

CREATE TABLE IF NOT EXISTS `leader_inspections` (
  `id` integer PRIMARY KEY AUTOINCREMENT,
  `enterprise_id` integer NOT NULL,
  `week` text NOT NULL,
  `inspected_on` text NOT NULL,
  `on_time` numeric NOT NULL,
  `leader_name` text NOT NULL,
  `participants` text NOT NULL DEFAULT "",
  `areas` text NOT NULL,
  `findings` text NOT NULL,
  `problems_found` integer NOT NULL DEFAULT 0,
  `problems_fixed` integer NOT NULL DEFAULT 0,
  `filed_by_id` integer NOT NULL,
  `version` integer NOT NULL DEFAULT 1,
  `created_at` datetime,
  `updated_at` datetime
);
CREATE UNIQUE INDEX IF NOT EXISTS `idx_leader_inspections_ent_week` ON `leader_inspections` (`enterprise_id`,`week`);
CREATE INDEX IF NOT EXISTS `idx_leader_inspections_filed_by_id` ON `leader_inspections` (`filed_by_id`);
CREATE INDEX IF NOT EXISTS `idx_leader_inspections_week` ON `leader_inspections` (`week`);

CREATE TABLE IF NOT EXISTS `interviews` (
  `id` integer PRIMARY KEY AUTOINCREMENT,
  `enterprise_id` integer NOT NULL,
  `reason` text NOT NULL,
  `weeks` text NOT NULL DEFAULT "",
  `scheduled_at` datetime NOT NULL,
  `place` text NOT NULL DEFAULT "",
  `attendee` text NOT NULL DEFAULT "",
  `status` text NOT NULL,
  `minutes` text NOT NULL,
  `commitments` text NOT NULL,
  `feedback_due` text NOT NULL DEFAULT "",
  `feedback` text NOT NULL,
  `feedback_at` datetime,
  `feedback_by_id` integer,
  `result` text NOT NULL,
  `held_at` datetime,
  `closed_at` datetime,
  `created_by_id` integer NOT NULL,
  `version` integer NOT NULL DEFAULT 1,
  `created_at` datetime,
  `updated_at` datetime
);
CREATE INDEX IF NOT EXISTS `idx_interviews_enterprise_id` ON `interviews` (`enterprise_id`);
CREATE INDEX IF NOT EXISTS `idx_interviews_scheduled_at` ON `interviews` (`scheduled_at`);
CREATE INDEX IF NOT EXISTS `idx_interviews_status` ON `interviews` (`status`);

CREATE TABLE IF NOT EXISTS `hazard_tallies` (
  `enterprise_id` integer,
  `dim` text,
  `item` text,
  `month` text,
  `n` integer NOT NULL,
  PRIMARY KEY (`enterprise_id`,`dim`,`item`,`month`)
);
CREATE INDEX IF NOT EXISTS `idx_hazard_tallies_month` ON `hazard_tallies` (`month`,`dim`,`item`,`n`);

CREATE TABLE IF NOT EXISTS `callback_nonces` (
  `timestamp` integer,
  `nonce` text,
  `expires_at` datetime NOT NULL,
  PRIMARY KEY (`timestamp`,`nonce`)
);
CREATE INDEX IF NOT EXISTS `idx_callback_nonces_expires_at` ON `callback_nonces` (`expires_at`);

CREATE TABLE IF NOT EXISTS `filings` (
  `id` integer PRIMARY KEY AUTOINCREMENT,
  `code` text NOT NULL,
  `enterprise_id` integer NOT NULL,
  `kind` text NOT NULL,
  `grade` text NOT NULL DEFAULT "",
  `title` text NOT NULL,
  `location` text NOT NULL DEFAULT "",
  `latitude` real,
  `longitude` real,
  `planned_start` datetime NOT NULL,
  `planned_end` datetime NOT NULL,
  `content` text NOT NULL,
  `hazard_identification` text NOT NULL,
  `safety_measures` text NOT NULL,
  `responsible_name` text NOT NULL DEFAULT "",
  `responsible_mobile` text NOT NULL DEFAULT "",
  `watcher_name` text NOT NULL DEFAULT "",
  `watcher_mobile` text NOT NULL DEFAULT "",
  `contractor_name` text NOT NULL DEFAULT "",
  `contractor_uscc` text NOT NULL DEFAULT "",
  `contractor_workers` integer NOT NULL DEFAULT 0,
  `contractor_manager` text NOT NULL DEFAULT "",
  `contractor_manager_mobile` text NOT NULL DEFAULT "",
  `status` text NOT NULL,
  `needs_admin` numeric NOT NULL DEFAULT false,
  `reviewer_id` integer,
  `created_by_id` integer NOT NULL,
  `change_rounds` integer NOT NULL DEFAULT 0,
  `submitted_at` datetime,
  `first_decision_at` datetime,
  `review_seconds` integer,
  `approved_at` datetime,
  `approval_seconds` integer,
  `started_at` datetime,
  `completed_at` datetime,
  `closed_at` datetime,
  `version` integer NOT NULL DEFAULT 1,
  `created_at` datetime NOT NULL,
  `updated_at` datetime
);
CREATE UNIQUE INDEX IF NOT EXISTS `idx_filings_code` ON `filings` (`code`);
CREATE INDEX IF NOT EXISTS `idx_filings_created_at` ON `filings` (`created_at`);
CREATE INDEX IF NOT EXISTS `idx_filings_end` ON `filings` (`planned_end`);
CREATE INDEX IF NOT EXISTS `idx_filings_ent_created` ON `filings` (`enterprise_id`,`created_at`);
CREATE INDEX IF NOT EXISTS `idx_filings_reviewer_status` ON `filings` (`reviewer_id`,`status`);
CREATE INDEX IF NOT EXISTS `idx_filings_start_end` ON `filings` (`planned_start`,`planned_end`);
CREATE INDEX IF NOT EXISTS `idx_filings_status_created` ON `filings` (`status`,`created_at`);
CREATE INDEX IF NOT EXISTS `idx_filings_status_start` ON `filings` (`status`,`planned_start`);
CREATE INDEX IF NOT EXISTS `idx_filings_submitted` ON `filings` (`submitted_at`,`enterprise_id`,`kind`,`status`,`change_rounds`,`review_seconds`,`approval_seconds`);

CREATE TABLE IF NOT EXISTS `filing_events` (
  `id` integer PRIMARY KEY AUTOINCREMENT,
  `filing_id` integer NOT NULL,
  `action` text NOT NULL,
  `from_status` text NOT NULL DEFAULT "",
  `to_status` text NOT NULL DEFAULT "",
  `actor_id` integer NOT NULL,
  `actor_name` text NOT NULL,
  `actor_role` text NOT NULL,
  `comment` text NOT NULL,
  `hazard_id` integer,
  `hazard_code` text NOT NULL DEFAULT "",
  `created_at` datetime
);
CREATE INDEX IF NOT EXISTS `idx_filing_events_filing_id` ON `filing_events` (`filing_id`);
CREATE INDEX IF NOT EXISTS `idx_filing_events_hazard_id` ON `filing_events` (`hazard_id`);

CREATE TABLE IF NOT EXISTS `filing_items` (
  `id` integer PRIMARY KEY AUTOINCREMENT,
  `filing_id` integer NOT NULL,
  `round` integer NOT NULL,
  `seq` integer NOT NULL,
  `content` text NOT NULL,
  `status` text NOT NULL,
  `created_by_id` integer NOT NULL,
  `answer_note` text NOT NULL,
  `answered_by_id` integer,
  `answered_at` datetime,
  `created_at` datetime
);
CREATE INDEX IF NOT EXISTS `idx_filing_items_filing` ON `filing_items` (`filing_id`,`round`,`seq`);
