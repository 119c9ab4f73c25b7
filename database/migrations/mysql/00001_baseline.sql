-- The schema every later migration starts from: the models' tables and indexes (InnoDB, utf8mb4_unicode_ci) when
-- migrations became numbered. IF NOT EXISTS because on a database of an earlier release, which the
-- start's one-off upgrade has just brought to this schema, the file only records the version.

-- +goose Up
CREATE TABLE IF NOT EXISTS `users` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `name` varchar(64) NOT NULL,
  `username` varchar(64) DEFAULT NULL,
  `mobile` varchar(20) DEFAULT NULL,
  `role` varchar(16) NOT NULL,
  `enterprise_id` bigint unsigned DEFAULT NULL,
  `status` varchar(16) NOT NULL,
  `password_hash` varchar(100) NOT NULL DEFAULT '',
  `open_id` varchar(64) DEFAULT NULL,
  `union_id` varchar(64) DEFAULT NULL,
  `mobile_confirmed` tinyint(1) NOT NULL DEFAULT 0,
  `auth_version` bigint NOT NULL DEFAULT 1,
  `version` bigint NOT NULL DEFAULT 1,
  `created_at` datetime(3) DEFAULT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_users_username` (`username`),
  UNIQUE KEY `idx_users_mobile` (`mobile`),
  UNIQUE KEY `idx_users_open_id` (`open_id`),
  KEY `idx_users_role_status` (`role`,`status`),
  KEY `idx_users_enterprise_id` (`enterprise_id`),
  KEY `idx_users_union_id` (`union_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `enterprises` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `name` varchar(128) NOT NULL,
  `uscc` varchar(18) NOT NULL,
  `kind` varchar(32) NOT NULL,
  `address` varchar(255) NOT NULL DEFAULT '',
  `principal_name` varchar(64) NOT NULL DEFAULT '',
  `principal_mobile` varchar(20) NOT NULL DEFAULT '',
  `safety_officer_name` varchar(64) NOT NULL DEFAULT '',
  `safety_officer_mobile` varchar(20) NOT NULL DEFAULT '',
  `major_hazard_count` bigint NOT NULL DEFAULT 0,
  `cadre_id` bigint unsigned DEFAULT NULL,
  `status` varchar(16) NOT NULL,
  `version` bigint NOT NULL DEFAULT 1,
  `created_at` datetime(3) DEFAULT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_enterprises_name` (`name`),
  UNIQUE KEY `idx_enterprises_uscc` (`uscc`),
  KEY `idx_enterprises_cadre_id` (`cadre_id`),
  KEY `idx_enterprises_status` (`status`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `refresh_tokens` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `user_id` bigint unsigned NOT NULL,
  `family_id` varchar(36) NOT NULL,
  `token_hash` varchar(64) NOT NULL,
  `expires_at` datetime(3) NOT NULL,
  `used_at` datetime(3) DEFAULT NULL,
  `revoked_at` datetime(3) DEFAULT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_refresh_tokens_token_hash` (`token_hash`),
  KEY `idx_refresh_tokens_user_id` (`user_id`),
  KEY `idx_refresh_tokens_family_id` (`family_id`),
  KEY `idx_refresh_tokens_expires_at` (`expires_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `we_chat_bind_tickets` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `token_hash` varchar(64) NOT NULL,
  `open_id` varchar(64) NOT NULL,
  `union_id` varchar(64) NOT NULL DEFAULT '',
  `expires_at` datetime(3) NOT NULL,
  `used_at` datetime(3) DEFAULT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_we_chat_bind_tickets_token_hash` (`token_hash`),
  KEY `idx_we_chat_bind_tickets_expires_at` (`expires_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `idempotency_records` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `user_id` bigint unsigned NOT NULL,
  `key` varchar(128) NOT NULL,
  `route` varchar(160) NOT NULL,
  `path_hash` varchar(64) NOT NULL DEFAULT '',
  `request_hash` varchar(64) NOT NULL,
  `token` varchar(32) NOT NULL DEFAULT '',
  `lease_until` datetime(3) DEFAULT NULL,
  `committed_at` datetime(3) DEFAULT NULL,
  `status_code` bigint NOT NULL DEFAULT 0,
  `body` mediumblob DEFAULT NULL,
  `expires_at` datetime(3) NOT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_idem_user_key` (`user_id`,`key`),
  KEY `idx_idempotency_records_expires_at` (`expires_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `photos` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `uploader_id` bigint unsigned NOT NULL,
  `sha256` varchar(64) NOT NULL,
  `size` bigint NOT NULL,
  `width` bigint NOT NULL,
  `height` bigint NOT NULL,
  `content_type` varchar(32) NOT NULL,
  `storage_key` varchar(128) NOT NULL,
  `thumb_key` varchar(128) NOT NULL,
  `taken_at` datetime(3) DEFAULT NULL,
  `latitude` double DEFAULT NULL,
  `longitude` double DEFAULT NULL,
  `exif_taken_at` datetime(3) DEFAULT NULL,
  `exif_latitude` double DEFAULT NULL,
  `exif_longitude` double DEFAULT NULL,
  `linked_at` datetime(3) DEFAULT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_photos_uploader_id` (`uploader_id`),
  KEY `idx_photos_sha256` (`sha256`),
  KEY `idx_photos_linked_at` (`linked_at`),
  KEY `idx_photos_created_at` (`created_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `photo_links` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `photo_id` bigint unsigned NOT NULL,
  `owner_type` varchar(32) NOT NULL,
  `owner_id` bigint unsigned NOT NULL,
  `role` varchar(32) NOT NULL DEFAULT '',
  `enterprise_id` bigint unsigned DEFAULT NULL,
  `position` bigint NOT NULL DEFAULT 0,
  `created_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_photo_links_owner` (`owner_type`,`owner_id`,`role`,`photo_id`),
  KEY `idx_photo_links_photo_id` (`photo_id`),
  KEY `idx_photo_links_enterprise_id` (`enterprise_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `hazards` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `code` varchar(20) NOT NULL,
  `enterprise_id` bigint unsigned NOT NULL,
  `source` varchar(24) NOT NULL,
  `category` varchar(24) NOT NULL,
  `level` varchar(16) NOT NULL,
  `title` varchar(128) NOT NULL,
  `description` text NOT NULL,
  `location` varchar(255) NOT NULL DEFAULT '',
  `latitude` double DEFAULT NULL,
  `longitude` double DEFAULT NULL,
  `requirement` text NOT NULL,
  `deadline` varchar(10) NOT NULL,
  `deadline_at` datetime(3) NOT NULL,
  `status` varchar(24) NOT NULL,
  `reject_count` bigint NOT NULL DEFAULT 0,
  `reporter_id` bigint unsigned NOT NULL,
  `origin_type` varchar(32) NOT NULL DEFAULT '',
  `origin_id` bigint unsigned NOT NULL DEFAULT 0,
  `duplicate_of` bigint unsigned DEFAULT NULL,
  `closed_at` datetime(3) DEFAULT NULL,
  `version` bigint NOT NULL DEFAULT 1,
  `created_at` datetime(3) NOT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_hazards_code` (`code`),
  KEY `idx_hazards_status_deadline_created` (`status`,`deadline_at`,`created_at`,`enterprise_id`),
  KEY `idx_hazards_status_closed` (`status`,`closed_at`,`enterprise_id`),
  KEY `idx_hazards_ent_status_created` (`enterprise_id`,`status`,`created_at`),
  KEY `idx_hazards_ent_created_dims` (`enterprise_id`,`created_at`,`status`,`level`,`category`,`source`),
  KEY `idx_hazards_ent_status_deadline` (`enterprise_id`,`status`,`deadline_at`,`created_at`,`closed_at`),
  KEY `idx_hazards_source` (`source`),
  KEY `idx_hazards_created_dims` (`created_at`,`status`,`level`,`category`,`source`),
  KEY `idx_hazards_deadline_at` (`deadline_at`),
  KEY `idx_hazards_status_created` (`status`,`created_at`),
  KEY `idx_hazards_reporter_id` (`reporter_id`),
  KEY `idx_hazards_origin_id` (`origin_id`),
  KEY `idx_hazards_duplicate_of` (`duplicate_of`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `hazard_events` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `hazard_id` bigint unsigned NOT NULL,
  `action` varchar(32) NOT NULL,
  `from_status` varchar(24) NOT NULL DEFAULT '',
  `to_status` varchar(24) NOT NULL DEFAULT '',
  `actor_id` bigint unsigned NOT NULL,
  `actor_name` varchar(64) NOT NULL,
  `actor_role` varchar(16) NOT NULL,
  `comment` text NOT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_hazard_events_hazard_id` (`hazard_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `rectifications` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `hazard_id` bigint unsigned NOT NULL,
  `description` text NOT NULL,
  `submitter_id` bigint unsigned NOT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_rectifications_hazard_id` (`hazard_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `hazard_extensions` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `hazard_id` bigint unsigned NOT NULL,
  `old_deadline` varchar(10) NOT NULL,
  `new_deadline` varchar(10) NOT NULL,
  `reason` text NOT NULL,
  `requester_id` bigint unsigned NOT NULL,
  `status` varchar(16) NOT NULL,
  `decider_id` bigint unsigned DEFAULT NULL,
  `comment` text NOT NULL,
  `decided_at` datetime(3) DEFAULT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_hazard_extensions_hazard_id` (`hazard_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `counters` (
  `name` varchar(32) NOT NULL,
  `period` varchar(16) NOT NULL,
  `last` bigint NOT NULL,
  PRIMARY KEY (`name`,`period`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `hygiene_checks` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `enterprise_id` bigint unsigned NOT NULL,
  `week` varchar(8) NOT NULL,
  `check_date` varchar(10) NOT NULL,
  `on_schedule` tinyint(1) NOT NULL,
  `deadline` varchar(10) NOT NULL DEFAULT '',
  `passed` tinyint(1) NOT NULL,
  `failed_areas` bigint NOT NULL DEFAULT 0,
  `inspector_id` bigint unsigned NOT NULL,
  `note` text NOT NULL,
  `version` bigint NOT NULL DEFAULT 1,
  `created_at` datetime(3) DEFAULT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_hygiene_checks_ent_week` (`enterprise_id`,`week`),
  KEY `idx_hygiene_checks_week` (`week`),
  KEY `idx_hygiene_checks_check_date` (`check_date`),
  KEY `idx_hygiene_checks_passed` (`passed`),
  KEY `idx_hygiene_checks_inspector_id` (`inspector_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `hygiene_areas` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `check_id` bigint unsigned NOT NULL,
  `area` varchar(16) NOT NULL,
  `passed` tinyint(1) NOT NULL,
  `note` text NOT NULL,
  `hazard_id` bigint unsigned DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_hygiene_areas_check_id` (`check_id`),
  KEY `idx_hygiene_areas_hazard_id` (`hazard_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `jobs` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `kind` varchar(64) NOT NULL,
  `payload` text NOT NULL,
  `state` varchar(16) NOT NULL,
  `attempts` bigint NOT NULL DEFAULT 0,
  `max_attempts` bigint NOT NULL DEFAULT 8,
  `run_at` datetime(3) NOT NULL,
  `lease_owner` varchar(64) NOT NULL DEFAULT '',
  `lease_until` datetime(3) DEFAULT NULL,
  `last_error` text NOT NULL,
  `dedupe_key` varchar(191) DEFAULT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_jobs_dedupe_key` (`dedupe_key`),
  KEY `idx_jobs_due` (`state`,`run_at`),
  KEY `idx_jobs_lease_until` (`lease_until`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bulletins` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `title` varchar(128) NOT NULL,
  `kind` varchar(24) NOT NULL,
  `week` varchar(8) NOT NULL DEFAULT '',
  `number` varchar(64) NOT NULL DEFAULT '',
  `content_markdown` mediumtext NOT NULL,
  `cover_photo_id` bigint unsigned DEFAULT NULL,
  `status` varchar(16) NOT NULL,
  `publish_attempt` bigint NOT NULL DEFAULT 0,
  `thumb_media_id` varchar(128) NOT NULL DEFAULT '',
  `wx_images` text NOT NULL,
  `draft_media_id` varchar(128) NOT NULL DEFAULT '',
  `submitting_at` datetime(3) DEFAULT NULL,
  `publish_id` bigint DEFAULT NULL,
  `article_url` varchar(512) NOT NULL DEFAULT '',
  `article_id` varchar(128) NOT NULL DEFAULT '',
  `published_at` datetime(3) DEFAULT NULL,
  `error` text NOT NULL,
  `author_id` bigint unsigned NOT NULL,
  `version` bigint NOT NULL DEFAULT 1,
  `created_at` datetime(3) DEFAULT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  `reported_photos` text DEFAULT NULL,
  `content_html` mediumtext DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_bulletins_kind_week` (`kind`,`week`),
  KEY `idx_bulletins_cover_photo_id` (`cover_photo_id`),
  KEY `idx_bulletins_status` (`status`),
  KEY `idx_bulletins_publish_id` (`publish_id`),
  KEY `idx_bulletins_updated_at` (`updated_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `weekly_notices` (
  `kind` varchar(24) NOT NULL,
  `week` varchar(8) NOT NULL,
  `bulletin_id` bigint unsigned NOT NULL,
  PRIMARY KEY (`kind`,`week`),
  UNIQUE KEY `idx_weekly_notices_bulletin_id` (`bulletin_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `notifications` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `user_id` bigint unsigned NOT NULL,
  `kind` varchar(48) NOT NULL,
  `title` varchar(128) NOT NULL,
  `body` text NOT NULL,
  `link` varchar(128) NOT NULL DEFAULT '',
  `dedupe_key` varchar(191) DEFAULT NULL,
  `push_status` varchar(16) NOT NULL DEFAULT '',
  `push_error` varchar(255) NOT NULL DEFAULT '',
  `read_at` datetime(3) DEFAULT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_notifications_dedupe_key` (`dedupe_key`),
  KEY `idx_notifications_user` (`user_id`,`created_at`),
  KEY `idx_notifications_read_at` (`read_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `subscription_quota` (
  `user_id` bigint unsigned NOT NULL,
  `template_id` varchar(64) NOT NULL,
  `remaining` bigint NOT NULL DEFAULT 0,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`user_id`,`template_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `leader_inspections` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `enterprise_id` bigint unsigned NOT NULL,
  `week` varchar(8) NOT NULL,
  `inspected_on` varchar(10) NOT NULL,
  `on_time` tinyint(1) NOT NULL,
  `leader_name` varchar(64) NOT NULL,
  `participants` varchar(500) NOT NULL DEFAULT '',
  `areas` text NOT NULL,
  `findings` text NOT NULL,
  `problems_found` bigint NOT NULL DEFAULT 0,
  `problems_fixed` bigint NOT NULL DEFAULT 0,
  `filed_by_id` bigint unsigned NOT NULL,
  `version` bigint NOT NULL DEFAULT 1,
  `created_at` datetime(3) DEFAULT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_leader_inspections_ent_week` (`enterprise_id`,`week`),
  KEY `idx_leader_inspections_week` (`week`),
  KEY `idx_leader_inspections_filed_by_id` (`filed_by_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `interviews` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `enterprise_id` bigint unsigned NOT NULL,
  `reason` text NOT NULL,
  `weeks` varchar(255) NOT NULL DEFAULT '',
  `scheduled_at` datetime(3) NOT NULL,
  `place` varchar(128) NOT NULL DEFAULT '',
  `attendee` varchar(128) NOT NULL DEFAULT '',
  `status` varchar(16) NOT NULL,
  `minutes` text NOT NULL,
  `commitments` text NOT NULL,
  `feedback_due` varchar(10) NOT NULL DEFAULT '',
  `feedback` text NOT NULL,
  `feedback_at` datetime(3) DEFAULT NULL,
  `feedback_by_id` bigint unsigned DEFAULT NULL,
  `result` text NOT NULL,
  `held_at` datetime(3) DEFAULT NULL,
  `closed_at` datetime(3) DEFAULT NULL,
  `created_by_id` bigint unsigned NOT NULL,
  `version` bigint NOT NULL DEFAULT 1,
  `created_at` datetime(3) DEFAULT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_interviews_enterprise_id` (`enterprise_id`),
  KEY `idx_interviews_scheduled_at` (`scheduled_at`),
  KEY `idx_interviews_status` (`status`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `hazard_tallies` (
  `enterprise_id` bigint unsigned NOT NULL,
  `dim` varchar(16) NOT NULL,
  `item` varchar(24) NOT NULL,
  `month` varchar(7) NOT NULL,
  `n` bigint NOT NULL,
  PRIMARY KEY (`enterprise_id`,`dim`,`item`,`month`),
  KEY `idx_hazard_tallies_month` (`month`,`dim`,`item`,`n`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `callback_nonces` (
  `timestamp` bigint NOT NULL,
  `nonce` varchar(64) NOT NULL,
  `expires_at` datetime(3) NOT NULL,
  PRIMARY KEY (`timestamp`,`nonce`),
  KEY `idx_callback_nonces_expires_at` (`expires_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `filings` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `code` varchar(20) NOT NULL,
  `enterprise_id` bigint unsigned NOT NULL,
  `kind` varchar(24) NOT NULL,
  `grade` varchar(16) NOT NULL DEFAULT '',
  `title` varchar(128) NOT NULL,
  `location` varchar(255) NOT NULL DEFAULT '',
  `latitude` double DEFAULT NULL,
  `longitude` double DEFAULT NULL,
  `planned_start` datetime(3) NOT NULL,
  `planned_end` datetime(3) NOT NULL,
  `content` text NOT NULL,
  `hazard_identification` text NOT NULL,
  `safety_measures` text NOT NULL,
  `responsible_name` varchar(64) NOT NULL DEFAULT '',
  `responsible_mobile` varchar(20) NOT NULL DEFAULT '',
  `watcher_name` varchar(64) NOT NULL DEFAULT '',
  `watcher_mobile` varchar(20) NOT NULL DEFAULT '',
  `contractor_name` varchar(128) NOT NULL DEFAULT '',
  `contractor_uscc` varchar(18) NOT NULL DEFAULT '',
  `contractor_workers` bigint NOT NULL DEFAULT 0,
  `contractor_manager` varchar(64) NOT NULL DEFAULT '',
  `contractor_manager_mobile` varchar(20) NOT NULL DEFAULT '',
  `status` varchar(24) NOT NULL,
  `needs_admin` tinyint(1) NOT NULL DEFAULT 0,
  `reviewer_id` bigint unsigned DEFAULT NULL,
  `created_by_id` bigint unsigned NOT NULL,
  `change_rounds` bigint NOT NULL DEFAULT 0,
  `submitted_at` datetime(3) DEFAULT NULL,
  `first_decision_at` datetime(3) DEFAULT NULL,
  `review_seconds` bigint DEFAULT NULL,
  `approved_at` datetime(3) DEFAULT NULL,
  `approval_seconds` bigint DEFAULT NULL,
  `started_at` datetime(3) DEFAULT NULL,
  `completed_at` datetime(3) DEFAULT NULL,
  `closed_at` datetime(3) DEFAULT NULL,
  `version` bigint NOT NULL DEFAULT 1,
  `created_at` datetime(3) NOT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_filings_code` (`code`),
  KEY `idx_filings_ent_created` (`enterprise_id`,`created_at`),
  KEY `idx_filings_submitted` (`submitted_at`,`enterprise_id`,`kind`,`status`,`change_rounds`,`review_seconds`,`approval_seconds`),
  KEY `idx_filings_status_start` (`status`,`planned_start`),
  KEY `idx_filings_start_end` (`planned_start`,`planned_end`),
  KEY `idx_filings_end` (`planned_end`),
  KEY `idx_filings_status_created` (`status`,`created_at`),
  KEY `idx_filings_reviewer_status` (`reviewer_id`,`status`),
  KEY `idx_filings_created_at` (`created_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `filing_events` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `filing_id` bigint unsigned NOT NULL,
  `action` varchar(32) NOT NULL,
  `from_status` varchar(24) NOT NULL DEFAULT '',
  `to_status` varchar(24) NOT NULL DEFAULT '',
  `actor_id` bigint unsigned NOT NULL,
  `actor_name` varchar(64) NOT NULL,
  `actor_role` varchar(16) NOT NULL,
  `comment` text NOT NULL,
  `hazard_id` bigint unsigned DEFAULT NULL,
  `hazard_code` varchar(20) NOT NULL DEFAULT '',
  `created_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_filing_events_filing_id` (`filing_id`),
  KEY `idx_filing_events_hazard_id` (`hazard_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `filing_items` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `filing_id` bigint unsigned NOT NULL,
  `round` bigint NOT NULL,
  `seq` bigint NOT NULL,
  `content` text NOT NULL,
  `status` varchar(16) NOT NULL,
  `created_by_id` bigint unsigned NOT NULL,
  `answer_note` text NOT NULL,
  `answered_by_id` bigint unsigned DEFAULT NULL,
  `answered_at` datetime(3) DEFAULT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_filing_items_filing` (`filing_id`,`round`,`seq`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
