-- Each area now purges its own rows under a job of its own (jobs.purge, identity.purge,
-- notify.purge). A job of the one purge that did it for all of them, still queued when this release
-- starts, would find no handler and fail.

-- +goose Up
DELETE FROM jobs WHERE kind = 'retention.purge' AND state IN ('pending', 'running');
