-- Schema 2: every order gets a status, which v2 shows. Job shop-migrate-v2 runs this once with
-- `psql --single-transaction`, so it changes everything or nothing.

/* #region guard */
-- The drill stops the shop before migrating. Refuse to run while a shop is still connected: its
-- v1 code would be reading a table that changes under it.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_stat_activity
             WHERE application_name = 'shop' AND datname = current_database() AND pid <> pg_backend_pid()) THEN
    RAISE EXCEPTION 'the shop is still connected to the database: scale Deployment shop to 0 and wait until its Pods are gone, then run the migration again';
  END IF;
END
$$;
/* #endregion guard */

/* #region change */
-- IF NOT EXISTS: running the migration twice changes nothing the second time.
ALTER TABLE orders ADD COLUMN IF NOT EXISTS status text NOT NULL DEFAULT 'placed';
/* #endregion change */
