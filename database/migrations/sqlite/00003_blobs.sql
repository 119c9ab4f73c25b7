-- One row per content hash whose photo and thumbnail are in the blob store: uploads and deletions of
-- those bytes hold it, so that an instance never deletes what another has just decided to reuse.
-- Every hash a photo has is in the store, so each gets its row.

-- +goose Up
CREATE TABLE `blobs` (`sha256` text NOT NULL,`created_at` datetime,PRIMARY KEY (`sha256`));

INSERT INTO `blobs` (`sha256`, `created_at`) SELECT `sha256`, MIN(`created_at`) FROM `photos` GROUP BY `sha256`;
