-- 0010_catalog_sync: the digest of the catalog (district, streets, offices,
-- food categories) last synced from the configuration, per district. Commands
-- compare it with the configured catalog's digest and sync only when they
-- differ; `spotcheck db migrate` always syncs.

CREATE TABLE catalog_sync (
  district   char(6) PRIMARY KEY REFERENCES district,
  digest     text NOT NULL,
  synced_at  timestamptz NOT NULL DEFAULT now()
);
