CREATE TABLE `bulletins` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `title` varchar(128) NOT NULL,
  `kind` varchar(24) NOT NULL,
  `week` varchar(8) NOT NULL DEFAULT '',
  `number` varchar(64) NOT NULL DEFAULT '',
  `content_markdown` mediumtext NOT NULL,
  `cover_photo_id` bigint(20) unsigned DEFAULT NULL,
  `status` varchar(16) NOT NULL,
  `publish_attempt` bigint(20) NOT NULL DEFAULT 0,
  `thumb_media_id` varchar(128) NOT NULL DEFAULT '',
  `wx_images` text NOT NULL,
  `draft_media_id` varchar(128) NOT NULL DEFAULT '',
  `submitting_at` datetime(3) DEFAULT NULL,
  `publish_id` bigint(20) DEFAULT NULL,
  `article_url` varchar(512) NOT NULL DEFAULT '',
  `article_id` varchar(128) NOT NULL DEFAULT '',
  `published_at` datetime(3) DEFAULT NULL,
  `error` text NOT NULL,
  `author_id` bigint(20) unsigned NOT NULL,
  `version` bigint(20) NOT NULL DEFAULT 1,
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
) ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO `bulletins` VALUES (1,'关于2026年第19周企业“门前三包”卫生检查情况的通报','hygiene_weekly','2026-W19','龙池园区安环〔2026〕1号','龙池园区安环〔2026〕1号\n\n各入园企业：\n\n为落实企业\"门前三包\"责任，2026年5月8日（星期五），园区管理办公室安环办对园区企业门口、沟渠、道路三个区域的环境卫生进行了检查。现将检查情况通报如下：\n\n## 一、检查情况\n\n本周应检查企业 1 家，实际检查 1 家，发现问题 1 处，涉及 1 家企业。\n\n## 二、存在问题\n\n| 序号 | 企业 | 区域 | 问题 | 整改期限 |\n| --- | --- | --- | --- | --- |\n| 1 | 龙池石化有限公司 | 门口 | 门口堆放纸箱 | 2026-05-12 |\n\n**1. 龙池石化有限公司（门口）**：门口堆放纸箱（隐患编号 YH-20260508-0002）\n\n整改要求：立即清理杂物和垃圾，消除火灾等隐患，2026-05-12 前完成。\n\n![龙池石化有限公司门口](photo:3)\n\n## 三、整改要求\n\n1. 请存在问题的企业对照通报逐项整改，在整改期限前通过\"园区安全管家\"小程序上传整改前后对比照片，由园区验收销号。\n2. 各企业要举一反三，每日清理门口、沟渠、道路范围内的杂物和垃圾，严禁堆放易燃可燃物，保持消防通道畅通。\n3. 企业主要负责人要亲自过问\"门前三包\"落实情况，明确责任人。\n\n## 四、有关要求\n\n对逾期未整改或同一问题反复出现的企业，园区将在公众号予以通报批评，并约谈企业主要负责人；存在火灾等安全风险拒不整改的，依法依规移交有关部门处理。\n\n龙池园区管理办公室安环办\n2026年5月8日\n',NULL,'draft',0,'','','',NULL,NULL,'','',NULL,'',1,1,'2026-11-30 12:52:21.342','2026-11-30 12:52:21.342','[3]','<p>龙池园区安环〔2026〕1号</p>\n<p>各入园企业：</p>\n<p>为落实企业&#34;门前三包&#34;责任，2026年5月8日（星期五），园区管理办公室安环办对园区企业门口、沟渠、道路三个区域的环境卫生进行了检查。现将检查情况通报如下：</p>\n<h2>一、检查情况</h2>\n<p>本周应检查企业 1 家，实际检查 1 家，发现问题 1 处，涉及 1 家企业。</p>\n<h2>二、存在问题</h2>\n<table>\n<thead>\n<tr>\n<th>序号</th>\n<th>企业</th>\n<th>区域</th>\n<th>问题</th>\n<th>整改期限</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n<td>龙池石化有限公司</td>\n<td>门口</td>\n<td>门口堆放纸箱</td>\n<td>2026-05-12</td>\n</tr>\n</tbody>\n</table>\n<p><strong>1. 龙池石化有限公司（门口）</strong>：门口堆放纸箱（隐患编号 YH-20260508-0002）</p>\n<p>整改要求：立即清理杂物和垃圾，消除火灾等隐患，2026-05-12 前完成。</p>\n<p><img src=\"photo:3\" alt=\"龙池石化有限公司门口\"></p>\n<h2>三、整改要求</h2>\n<ol>\n<li>请存在问题的企业对照通报逐项整改，在整改期限前通过&#34;园区安全管家&#34;小程序上传整改前后对比照片，由园区验收销号。</li>\n<li>各企业要举一反三，每日清理门口、沟渠、道路范围内的杂物和垃圾，严禁堆放易燃可燃物，保持消防通道畅通。</li>\n<li>企业主要负责人要亲自过问&#34;门前三包&#34;落实情况，明确责任人。</li>\n</ol>\n<h2>四、有关要求</h2>\n<p>对逾期未整改或同一问题反复出现的企业，园区将在公众号予以通报批评，并约谈企业主要负责人；存在火灾等安全风险拒不整改的，依法依规移交有关部门处理。</p>\n<p>龙池园区管理办公室安环办\n2026年5月8日</p>\n');
INSERT INTO `bulletins` VALUES (2,'五一节后复工安全提示','general','','','各企业：\n\n节后复工前请开展一次全面检查。',NULL,'draft',0,'','','',NULL,NULL,'','',NULL,'',1,1,'2026-11-30 12:52:21.351','2026-11-30 12:52:21.351',NULL,'<p>各企业：</p>\n<p>节后复工前请开展一次全面检查。</p>\n');
CREATE TABLE `callback_nonces` (
  `timestamp` bigint(20) NOT NULL,
  `nonce` varchar(64) NOT NULL,
  `expires_at` datetime(3) NOT NULL,
  PRIMARY KEY (`timestamp`,`nonce`),
  KEY `idx_callback_nonces_expires_at` (`expires_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE `counters` (
  `name` varchar(32) NOT NULL,
  `period` varchar(16) NOT NULL,
  `last` bigint(20) NOT NULL,
  PRIMARY KEY (`name`,`period`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO `counters` VALUES ('bulletin_number','2026',1);
INSERT INTO `counters` VALUES ('hazard_code','20260508',2);
CREATE TABLE `enterprises` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `name` varchar(128) NOT NULL,
  `uscc` varchar(18) NOT NULL,
  `kind` varchar(32) NOT NULL,
  `address` varchar(255) NOT NULL DEFAULT '',
  `principal_name` varchar(64) NOT NULL DEFAULT '',
  `principal_mobile` varchar(20) NOT NULL DEFAULT '',
  `safety_officer_name` varchar(64) NOT NULL DEFAULT '',
  `safety_officer_mobile` varchar(20) NOT NULL DEFAULT '',
  `major_hazard_count` bigint(20) NOT NULL DEFAULT 0,
  `cadre_id` bigint(20) unsigned DEFAULT NULL,
  `status` varchar(16) NOT NULL,
  `version` bigint(20) NOT NULL DEFAULT 1,
  `created_at` datetime(3) DEFAULT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_enterprises_name` (`name`),
  UNIQUE KEY `idx_enterprises_uscc` (`uscc`),
  KEY `idx_enterprises_cadre_id` (`cadre_id`),
  KEY `idx_enterprises_status` (`status`)
) ENGINE=InnoDB AUTO_INCREMENT=2 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO `enterprises` VALUES (1,'龙池石化有限公司','91330100MA2B3C4D5N','hazchem_production','','周国栋','13912340001','','',0,NULL,'active',1,'2026-05-08 02:00:00.000','2026-05-08 02:00:00.000');
CREATE TABLE `filing_events` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `filing_id` bigint(20) unsigned NOT NULL,
  `action` varchar(32) NOT NULL,
  `from_status` varchar(24) NOT NULL DEFAULT '',
  `to_status` varchar(24) NOT NULL DEFAULT '',
  `actor_id` bigint(20) unsigned NOT NULL,
  `actor_name` varchar(64) NOT NULL,
  `actor_role` varchar(16) NOT NULL,
  `comment` text NOT NULL,
  `hazard_id` bigint(20) unsigned DEFAULT NULL,
  `hazard_code` varchar(20) NOT NULL DEFAULT '',
  `created_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_filing_events_filing_id` (`filing_id`),
  KEY `idx_filing_events_hazard_id` (`hazard_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE `filing_items` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `filing_id` bigint(20) unsigned NOT NULL,
  `round` bigint(20) NOT NULL,
  `seq` bigint(20) NOT NULL,
  `content` text NOT NULL,
  `status` varchar(16) NOT NULL,
  `created_by_id` bigint(20) unsigned NOT NULL,
  `answer_note` text NOT NULL,
  `answered_by_id` bigint(20) unsigned DEFAULT NULL,
  `answered_at` datetime(3) DEFAULT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_filing_items_filing` (`filing_id`,`round`,`seq`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE `filings` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `code` varchar(20) NOT NULL,
  `enterprise_id` bigint(20) unsigned NOT NULL,
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
  `contractor_workers` bigint(20) NOT NULL DEFAULT 0,
  `contractor_manager` varchar(64) NOT NULL DEFAULT '',
  `contractor_manager_mobile` varchar(20) NOT NULL DEFAULT '',
  `status` varchar(24) NOT NULL,
  `needs_admin` tinyint(1) NOT NULL DEFAULT 0,
  `reviewer_id` bigint(20) unsigned DEFAULT NULL,
  `created_by_id` bigint(20) unsigned NOT NULL,
  `change_rounds` bigint(20) NOT NULL DEFAULT 0,
  `submitted_at` datetime(3) DEFAULT NULL,
  `first_decision_at` datetime(3) DEFAULT NULL,
  `review_seconds` bigint(20) DEFAULT NULL,
  `approved_at` datetime(3) DEFAULT NULL,
  `approval_seconds` bigint(20) DEFAULT NULL,
  `started_at` datetime(3) DEFAULT NULL,
  `completed_at` datetime(3) DEFAULT NULL,
  `closed_at` datetime(3) DEFAULT NULL,
  `version` bigint(20) NOT NULL DEFAULT 1,
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
CREATE TABLE `hazard_events` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `hazard_id` bigint(20) unsigned NOT NULL,
  `action` varchar(32) NOT NULL,
  `from_status` varchar(24) NOT NULL DEFAULT '',
  `to_status` varchar(24) NOT NULL DEFAULT '',
  `actor_id` bigint(20) unsigned NOT NULL,
  `actor_name` varchar(64) NOT NULL,
  `actor_role` varchar(16) NOT NULL,
  `comment` text NOT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_hazard_events_hazard_id` (`hazard_id`)
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO `hazard_events` VALUES (1,1,'created','','pending_rectify',2,'张建国','inspector','','2026-05-08 02:00:00.000');
INSERT INTO `hazard_events` VALUES (2,1,'rectification_submitted','pending_rectify','pending_verify',3,'吴海峰','enterprise','已更换','2026-05-08 02:00:00.000');
INSERT INTO `hazard_events` VALUES (3,2,'created','','pending_rectify',2,'张建国','inspector','','2026-05-08 02:00:00.000');
CREATE TABLE `hazard_extensions` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `hazard_id` bigint(20) unsigned NOT NULL,
  `old_deadline` varchar(10) NOT NULL,
  `new_deadline` varchar(10) NOT NULL,
  `reason` text NOT NULL,
  `requester_id` bigint(20) unsigned NOT NULL,
  `status` varchar(16) NOT NULL,
  `decider_id` bigint(20) unsigned DEFAULT NULL,
  `comment` text NOT NULL,
  `decided_at` datetime(3) DEFAULT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_hazard_extensions_hazard_id` (`hazard_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE `hazard_tallies` (
  `enterprise_id` bigint(20) unsigned NOT NULL,
  `dim` varchar(16) NOT NULL,
  `item` varchar(24) NOT NULL,
  `month` varchar(7) NOT NULL,
  `n` bigint(20) NOT NULL,
  PRIMARY KEY (`enterprise_id`,`dim`,`item`,`month`),
  KEY `idx_hazard_tallies_month` (`month`,`dim`,`item`,`n`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO `hazard_tallies` VALUES (1,'category','fire','',1);
INSERT INTO `hazard_tallies` VALUES (1,'category','hygiene','',1);
INSERT INTO `hazard_tallies` VALUES (1,'level','general','',2);
INSERT INTO `hazard_tallies` VALUES (1,'source','hygiene_check','',1);
INSERT INTO `hazard_tallies` VALUES (1,'source','snapshot','',1);
INSERT INTO `hazard_tallies` VALUES (1,'status','pending_rectify','',1);
INSERT INTO `hazard_tallies` VALUES (1,'status','pending_verify','',1);
INSERT INTO `hazard_tallies` VALUES (1,'category','fire','2026-05',1);
INSERT INTO `hazard_tallies` VALUES (1,'category','hygiene','2026-05',1);
INSERT INTO `hazard_tallies` VALUES (1,'level','general','2026-05',2);
INSERT INTO `hazard_tallies` VALUES (1,'source','hygiene_check','2026-05',1);
INSERT INTO `hazard_tallies` VALUES (1,'source','snapshot','2026-05',1);
INSERT INTO `hazard_tallies` VALUES (1,'status','pending_rectify','2026-05',1);
INSERT INTO `hazard_tallies` VALUES (1,'status','pending_verify','2026-05',1);
CREATE TABLE `hazards` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `code` varchar(20) NOT NULL,
  `enterprise_id` bigint(20) unsigned NOT NULL,
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
  `reject_count` bigint(20) NOT NULL DEFAULT 0,
  `reporter_id` bigint(20) unsigned NOT NULL,
  `origin_type` varchar(32) NOT NULL DEFAULT '',
  `origin_id` bigint(20) unsigned NOT NULL DEFAULT 0,
  `duplicate_of` bigint(20) unsigned DEFAULT NULL,
  `closed_at` datetime(3) DEFAULT NULL,
  `version` bigint(20) NOT NULL DEFAULT 1,
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
) ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO `hazards` VALUES (1,'YH-20260508-0001',1,'snapshot','fire','general','灭火器压力不足','罐区东侧 2 号灭火器压力表指针在红区','罐区东侧',NULL,NULL,'更换灭火器','2026-05-15','2026-05-15 16:00:00.000','pending_verify',0,2,'',0,NULL,NULL,2,'2026-05-08 02:00:00.000','2026-05-08 02:00:00.000');
INSERT INTO `hazards` VALUES (2,'YH-20260508-0002',1,'hygiene_check','hygiene','general','门口环境卫生问题','门口堆放纸箱','门口',NULL,NULL,'立即清理杂物和垃圾，消除火灾等隐患','2026-05-12','2026-05-12 16:00:00.000','pending_rectify',0,2,'hygiene_area',1,NULL,NULL,1,'2026-05-08 02:00:00.000','2026-05-08 02:00:00.000');
CREATE TABLE `hygiene_areas` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `check_id` bigint(20) unsigned NOT NULL,
  `area` varchar(16) NOT NULL,
  `passed` tinyint(1) NOT NULL,
  `note` text NOT NULL,
  `hazard_id` bigint(20) unsigned DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_hygiene_areas_check_id` (`check_id`),
  KEY `idx_hygiene_areas_hazard_id` (`hazard_id`)
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO `hygiene_areas` VALUES (1,1,'doorway',0,'门口堆放纸箱',2);
INSERT INTO `hygiene_areas` VALUES (2,1,'ditch',1,'',NULL);
INSERT INTO `hygiene_areas` VALUES (3,1,'road',1,'',NULL);
CREATE TABLE `hygiene_checks` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `enterprise_id` bigint(20) unsigned NOT NULL,
  `week` varchar(8) NOT NULL,
  `check_date` varchar(10) NOT NULL,
  `on_schedule` tinyint(1) NOT NULL,
  `deadline` varchar(10) NOT NULL DEFAULT '',
  `passed` tinyint(1) NOT NULL,
  `failed_areas` bigint(20) NOT NULL DEFAULT 0,
  `inspector_id` bigint(20) unsigned NOT NULL,
  `note` text NOT NULL,
  `version` bigint(20) NOT NULL DEFAULT 1,
  `created_at` datetime(3) DEFAULT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_hygiene_checks_ent_week` (`enterprise_id`,`week`),
  KEY `idx_hygiene_checks_week` (`week`),
  KEY `idx_hygiene_checks_check_date` (`check_date`),
  KEY `idx_hygiene_checks_passed` (`passed`),
  KEY `idx_hygiene_checks_inspector_id` (`inspector_id`)
) ENGINE=InnoDB AUTO_INCREMENT=2 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO `hygiene_checks` VALUES (1,1,'2026-W19','2026-05-08',1,'2026-05-12',0,1,2,'',1,'2026-05-08 02:00:00.000','2026-05-08 02:00:00.000');
CREATE TABLE `idempotency_records` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `user_id` bigint(20) unsigned NOT NULL,
  `key` varchar(128) NOT NULL,
  `route` varchar(160) NOT NULL,
  `path_hash` varchar(64) NOT NULL DEFAULT '',
  `request_hash` varchar(64) NOT NULL,
  `token` varchar(32) NOT NULL DEFAULT '',
  `lease_until` datetime(3) DEFAULT NULL,
  `committed_at` datetime(3) DEFAULT NULL,
  `status_code` bigint(20) NOT NULL DEFAULT 0,
  `body` mediumblob DEFAULT NULL,
  `expires_at` datetime(3) NOT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_idem_user_key` (`user_id`,`key`),
  KEY `idx_idempotency_records_expires_at` (`expires_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE `interviews` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `enterprise_id` bigint(20) unsigned NOT NULL,
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
  `feedback_by_id` bigint(20) unsigned DEFAULT NULL,
  `result` text NOT NULL,
  `held_at` datetime(3) DEFAULT NULL,
  `closed_at` datetime(3) DEFAULT NULL,
  `created_by_id` bigint(20) unsigned NOT NULL,
  `version` bigint(20) NOT NULL DEFAULT 1,
  `created_at` datetime(3) DEFAULT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_interviews_enterprise_id` (`enterprise_id`),
  KEY `idx_interviews_scheduled_at` (`scheduled_at`),
  KEY `idx_interviews_status` (`status`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE `jobs` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `kind` varchar(64) NOT NULL,
  `payload` text NOT NULL,
  `state` varchar(16) NOT NULL,
  `attempts` bigint(20) NOT NULL DEFAULT 0,
  `max_attempts` bigint(20) NOT NULL DEFAULT 8,
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
) ENGINE=InnoDB AUTO_INCREMENT=9 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO `jobs` VALUES (1,'wechat.callback_nonce_purge','{}','pending',0,8,'2026-05-08 02:00:00.000','',NULL,'','every:wechat.callback_nonce_purge:1778205600','2026-11-30 12:52:21.356','2026-11-30 12:52:21.356');
INSERT INTO `jobs` VALUES (2,'hazard.sweep','{}','pending',0,8,'2026-05-08 02:00:00.000','',NULL,'','every:hazard.sweep:1778205600','2026-11-30 12:52:21.357','2026-11-30 12:52:21.357');
INSERT INTO `jobs` VALUES (3,'idempotency.purge','{}','pending',0,8,'2026-05-08 02:00:00.000','',NULL,'','every:idempotency.purge:1778205600','2026-11-30 12:52:21.360','2026-11-30 12:52:21.360');
INSERT INTO `jobs` VALUES (4,'hazard.tally_check','{}','pending',0,8,'2026-05-08 00:00:00.000','',NULL,'','every:hazard.tally_check:1778198400','2026-11-30 12:52:21.360','2026-11-30 12:52:21.360');
INSERT INTO `jobs` VALUES (5,'photo.purge','{}','pending',0,8,'2026-05-08 02:00:00.000','',NULL,'','every:photo.purge:1778205600','2026-11-30 12:52:21.364','2026-11-30 12:52:21.364');
INSERT INTO `jobs` VALUES (6,'photo.sweep','{}','pending',0,8,'2026-05-08 00:00:00.000','',NULL,'','every:photo.sweep:1778198400','2026-11-30 12:52:21.368','2026-11-30 12:52:21.368');
INSERT INTO `jobs` VALUES (7,'filing.expire','{}','pending',0,8,'2026-05-08 02:00:00.000','',NULL,'','every:filing.expire:1778205600','2026-11-30 12:52:21.372','2026-11-30 12:52:21.372');
INSERT INTO `jobs` VALUES (8,'retention.purge','{}','pending',0,8,'2026-05-08 00:00:00.000','',NULL,'','every:retention.purge:1778198400','2026-11-30 12:52:21.373','2026-11-30 12:52:21.373');
CREATE TABLE `leader_inspections` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `enterprise_id` bigint(20) unsigned NOT NULL,
  `week` varchar(8) NOT NULL,
  `inspected_on` varchar(10) NOT NULL,
  `on_time` tinyint(1) NOT NULL,
  `leader_name` varchar(64) NOT NULL,
  `participants` varchar(500) NOT NULL DEFAULT '',
  `areas` text NOT NULL,
  `findings` text NOT NULL,
  `problems_found` bigint(20) NOT NULL DEFAULT 0,
  `problems_fixed` bigint(20) NOT NULL DEFAULT 0,
  `filed_by_id` bigint(20) unsigned NOT NULL,
  `version` bigint(20) NOT NULL DEFAULT 1,
  `created_at` datetime(3) DEFAULT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_leader_inspections_ent_week` (`enterprise_id`,`week`),
  KEY `idx_leader_inspections_week` (`week`),
  KEY `idx_leader_inspections_filed_by_id` (`filed_by_id`)
) ENGINE=InnoDB AUTO_INCREMENT=2 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO `leader_inspections` VALUES (1,1,'2026-W19','2026-05-04',1,'周国栋','','罐区、装卸区','检查消防设施和装卸作业',2,2,3,1,'2026-05-08 02:00:00.000','2026-05-08 02:00:00.000');
CREATE TABLE `notifications` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `user_id` bigint(20) unsigned NOT NULL,
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
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO `notifications` VALUES (1,3,'hazard_assigned','新的隐患待整改','YH-20260508-0001 灭火器压力不足，请于 2026-05-15 前完成整改并上传整改照片。','hazard:1','hazard_assigned:hazard:1::3','','',NULL,'2026-05-08 02:00:00.000');
INSERT INTO `notifications` VALUES (2,2,'awaiting_verification','整改已提交，待验收','YH-20260508-0001 灭火器压力不足 已提交整改，请及时验收。','hazard:1','awaiting_verification:hazard:1:0:2','','',NULL,'2026-05-08 02:00:00.000');
INSERT INTO `notifications` VALUES (3,3,'hazard_assigned','新的隐患待整改','YH-20260508-0002 门口环境卫生问题，请于 2026-05-12 前完成整改并上传整改照片。','hazard:2','hazard_assigned:hazard:2::3','','',NULL,'2026-05-08 02:00:00.000');
CREATE TABLE `photo_links` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `photo_id` bigint(20) unsigned NOT NULL,
  `owner_type` varchar(32) NOT NULL,
  `owner_id` bigint(20) unsigned NOT NULL,
  `role` varchar(32) NOT NULL DEFAULT '',
  `enterprise_id` bigint(20) unsigned DEFAULT NULL,
  `position` bigint(20) NOT NULL DEFAULT 0,
  `created_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_photo_links_owner` (`owner_type`,`owner_id`,`role`,`photo_id`),
  KEY `idx_photo_links_photo_id` (`photo_id`),
  KEY `idx_photo_links_enterprise_id` (`enterprise_id`)
) ENGINE=InnoDB AUTO_INCREMENT=7 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO `photo_links` VALUES (1,1,'hazard',1,'discovery',1,0,'2026-11-30 12:52:21.278');
INSERT INTO `photo_links` VALUES (2,2,'rectification',1,'after',1,0,'2026-11-30 12:52:21.294');
INSERT INTO `photo_links` VALUES (3,3,'hygiene_area',1,'',1,0,'2026-11-30 12:52:21.309');
INSERT INTO `photo_links` VALUES (4,3,'hazard',2,'discovery',1,0,'2026-11-30 12:52:21.311');
INSERT INTO `photo_links` VALUES (5,4,'leader_inspection',1,'',1,0,'2026-11-30 12:52:21.333');
INSERT INTO `photo_links` VALUES (6,3,'bulletin',1,'content',NULL,0,'2026-11-30 12:52:21.348');
CREATE TABLE `photos` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `uploader_id` bigint(20) unsigned NOT NULL,
  `sha256` varchar(64) NOT NULL,
  `size` bigint(20) NOT NULL,
  `width` bigint(20) NOT NULL,
  `height` bigint(20) NOT NULL,
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
) ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO `photos` VALUES (1,2,'bbf23026fb509bbb30db11a393f6fca71203749216399b7a56f63621f44b1f2f',90,16,12,'image/png','photos/bb/bbf23026fb509bbb30db11a393f6fca71203749216399b7a56f63621f44b1f2f.png','thumbs/bb/bbf23026fb509bbb30db11a393f6fca71203749216399b7a56f63621f44b1f2f.jpg',NULL,NULL,NULL,NULL,NULL,NULL,'2026-05-08 02:00:00.000','2026-05-08 02:00:00.000');
INSERT INTO `photos` VALUES (2,3,'bbf23026fb509bbb30db11a393f6fca71203749216399b7a56f63621f44b1f2f',90,16,12,'image/png','photos/bb/bbf23026fb509bbb30db11a393f6fca71203749216399b7a56f63621f44b1f2f.png','thumbs/bb/bbf23026fb509bbb30db11a393f6fca71203749216399b7a56f63621f44b1f2f.jpg',NULL,NULL,NULL,NULL,NULL,NULL,'2026-05-08 02:00:00.000','2026-05-08 02:00:00.000');
INSERT INTO `photos` VALUES (3,2,'bbf23026fb509bbb30db11a393f6fca71203749216399b7a56f63621f44b1f2f',90,16,12,'image/png','photos/bb/bbf23026fb509bbb30db11a393f6fca71203749216399b7a56f63621f44b1f2f.png','thumbs/bb/bbf23026fb509bbb30db11a393f6fca71203749216399b7a56f63621f44b1f2f.jpg',NULL,NULL,NULL,NULL,NULL,NULL,'2026-05-08 02:00:00.000','2026-05-08 02:00:00.000');
INSERT INTO `photos` VALUES (4,3,'bbf23026fb509bbb30db11a393f6fca71203749216399b7a56f63621f44b1f2f',90,16,12,'image/png','photos/bb/bbf23026fb509bbb30db11a393f6fca71203749216399b7a56f63621f44b1f2f.png','thumbs/bb/bbf23026fb509bbb30db11a393f6fca71203749216399b7a56f63621f44b1f2f.jpg',NULL,NULL,NULL,NULL,NULL,NULL,'2026-05-08 02:00:00.000','2026-05-08 02:00:00.000');
CREATE TABLE `rectifications` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `hazard_id` bigint(20) unsigned NOT NULL,
  `description` text NOT NULL,
  `submitter_id` bigint(20) unsigned NOT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_rectifications_hazard_id` (`hazard_id`)
) ENGINE=InnoDB AUTO_INCREMENT=2 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO `rectifications` VALUES (1,1,'已更换',3,'2026-05-08 02:00:00.000');
CREATE TABLE `refresh_tokens` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `user_id` bigint(20) unsigned NOT NULL,
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
) ENGINE=InnoDB AUTO_INCREMENT=2 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO `refresh_tokens` VALUES (1,2,'lCiFpNckyKtS9eu8Iowa1g34','1a0b2926bf7362e407e241e09e96605b8c2385cef9520e75c65540c8ac2be731','2026-06-07 02:00:00.000',NULL,NULL,'2026-11-30 12:52:21.265');
CREATE TABLE `subscription_quota` (
  `user_id` bigint(20) unsigned NOT NULL,
  `template_id` varchar(64) NOT NULL,
  `remaining` bigint(20) NOT NULL DEFAULT 0,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`user_id`,`template_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE `users` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `name` varchar(64) NOT NULL,
  `username` varchar(64) DEFAULT NULL,
  `mobile` varchar(20) DEFAULT NULL,
  `role` varchar(16) NOT NULL,
  `enterprise_id` bigint(20) unsigned DEFAULT NULL,
  `status` varchar(16) NOT NULL,
  `password_hash` varchar(100) NOT NULL DEFAULT '',
  `open_id` varchar(64) DEFAULT NULL,
  `union_id` varchar(64) DEFAULT NULL,
  `mobile_confirmed` tinyint(1) NOT NULL DEFAULT 0,
  `auth_version` bigint(20) NOT NULL DEFAULT 1,
  `version` bigint(20) NOT NULL DEFAULT 1,
  `created_at` datetime(3) DEFAULT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_users_username` (`username`),
  UNIQUE KEY `idx_users_mobile` (`mobile`),
  UNIQUE KEY `idx_users_open_id` (`open_id`),
  KEY `idx_users_role_status` (`role`,`status`),
  KEY `idx_users_enterprise_id` (`enterprise_id`),
  KEY `idx_users_union_id` (`union_id`)
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO `users` VALUES (1,'园区管理员','admin',NULL,'admin',NULL,'active','$2a$04$o/YR57oqy1GldzSWIkQCQO8or8d.y3JATkFXjdYt7VETd2to0UWVK',NULL,NULL,0,1,1,'2026-11-30 12:52:21.249','2026-11-30 12:52:21.249');
INSERT INTO `users` VALUES (2,'张建国','zhangjg','13912340002','inspector',NULL,'active','$2a$04$SjDo5nHx09YhtALYIorC8eQXO24RcTwECW5mm5CekBBrTZwqfbi/u',NULL,NULL,1,1,1,'2026-11-30 12:52:21.255','2026-11-30 12:52:21.255');
INSERT INTO `users` VALUES (3,'吴海峰','wuhf','13912340003','enterprise',1,'active','$2a$04$6cLnbh6iKwsRg2N7dR42UOWVxGJbAfBS.DQzm9i4thL4Kql/fFYtO',NULL,NULL,1,1,1,'2026-11-30 12:52:21.258','2026-11-30 12:52:21.258');
CREATE TABLE `we_chat_bind_tickets` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
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
CREATE TABLE `weekly_notices` (
  `kind` varchar(24) NOT NULL,
  `week` varchar(8) NOT NULL,
  `bulletin_id` bigint(20) unsigned NOT NULL,
  PRIMARY KEY (`kind`,`week`),
  UNIQUE KEY `idx_weekly_notices_bulletin_id` (`bulletin_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO `weekly_notices` VALUES ('hygiene_weekly','2026-W19',1);
